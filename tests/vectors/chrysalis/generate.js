// Regenerates the Chrysalis known answers (chrysalis.json) from @iota/iota.js 1.8.6, a second,
// independent implementation of the message layout and TIP-12 PoW:
//   (cd tests/interop && ./setup.sh) && node tests/vectors/chrysalis/generate.js > tests/vectors/chrysalis/chrysalis.json
// The tests read the JSON; they do not need Node.js.
"use strict";

const path = require("path");
const modules = path.join(__dirname, "../../interop/node_modules");
const iota = require(path.join(modules, "@iota/iota.js"));
const { Blake2b, Curl } = require(path.join(modules, "@iota/crypto.js"));
const { Converter, WriteStream, BigIntHelper } = require(path.join(modules, "@iota/util.js"));
const bigInt = require(path.join(modules, "big-integer"));

// A deterministic byte sequence, so that regenerating gives the same file.
function bytes(seed, length) {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
const hex = (b) => Converter.bytesToHex(b);

function networkId(name) {
  return BigIntHelper.read8(Blake2b.sum256(Converter.utf8ToBytes(name)), 0).toString();
}

function serialize(networkName, parents, index, data, nonce) {
  const message = {
    networkId: networkId(networkName),
    parentMessageIds: parents.map(hex).sort(),
    payload: { type: iota.INDEXATION_PAYLOAD_TYPE, index: hex(index), data: hex(data) },
    nonce: nonce.toString(),
  };
  const stream = new WriteStream();
  iota.serializeMessage(stream, message);
  return stream.finalBytes();
}

const networks = ["streams-local", "chrysalis-mainnet", "testnet7", "a"].map((name) => ({ name, id: networkId(name) }));

const messages = [];
const shapes = [[1, 1, 0], [2, 64, 10], [8, 32, 300], [3, 17, 1000]];
shapes.forEach(([parentCount, indexLength, dataLength], i) => {
  const parents = Array.from({ length: parentCount }, (_, p) => bytes(100 * i + p, 32));
  const index = bytes(7 + i, indexLength);
  const data = bytes(13 + i, dataLength);
  for (const nonce of ["0", "1", "123456789", "18446744073709551615"]) {
    const raw = serialize("streams-local", parents, index, data, nonce);
    messages.push({
      network: "streams-local",
      parents: parents.map(hex),
      index: hex(index),
      data: hex(data),
      nonce,
      bytes: hex(raw),
      id: hex(Blake2b.sum256(raw)),
      score: iota.PowHelper.score(raw),
    });
  }
});

// Messages whose nonce was searched until the hash ends in zeros, so that scores above the minimum
// are covered too.
const pow = [];
for (const [zeros, seed] of [[3, 1], [5, 2], [7, 3]]) {
  const raw = serialize("streams-local", [bytes(seed, 32)], bytes(seed + 1, 12), bytes(seed + 2, 40), "0");
  const digest = Blake2b.sum256(raw.slice(0, -8));
  let nonce = bigInt(0);
  while (iota.PowHelper.trailingZeros(digest, nonce) < zeros) nonce = nonce.add(1);
  const withNonce = raw.slice();
  BigIntHelper.write8(nonce, withNonce, withNonce.length - 8);
  pow.push({ bytes: hex(withNonce), nonce: nonce.toString(), trailing_zeros: iota.PowHelper.trailingZeros(digest, nonce),
             score: iota.PowHelper.score(withNonce) });
}

// Curl-P-81 of single 243-trit blocks.
const curl = [];
for (let seed = 1; seed <= 4; seed++) {
  const input = new Int8Array(243);
  const noise = bytes(seed, 243);
  for (let i = 0; i < 243; i++) input[i] = (noise[i] % 3) - 1;
  const c = new Curl();
  c.absorb(input, 0, 243);
  const out = new Int8Array(243);
  c.squeeze(out, 0, 243);
  curl.push({ input: Array.from(input), hash: Array.from(out) });
}

// b1t6 of bytes covering the signed range.
const b1t6Input = Uint8Array.from([0, 1, 2, 127, 128, 129, 200, 255, 13, 14, 40, 41]);
const b1t6Out = new Int8Array(b1t6Input.length * 6);
iota.B1T6.encode(b1t6Out, 0, b1t6Input);

console.log(JSON.stringify({
  generator: "tests/vectors/chrysalis/generate.js with @iota/iota.js 1.8.6",
  networks, messages, pow, curl,
  b1t6: { bytes: hex(b1t6Input), trits: Array.from(b1t6Out) },
}, null, 1));
