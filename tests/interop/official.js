// The official IOTA Streams library (npm @iota/streams 1.2.1, the Rust 1.2 library compiled to wasm) as
// a peer the interop tests drive: one JSON request per line on stdin, one JSON answer per line on stdout.
// Users live in this process (the wasm build cannot re-import a subscriber state that held a PSK), named
// by the test. Every answer is {"ok": true, ...} or {"ok": false, "error": "..."}.
//
//   {"op":"author","name":"A","seed":"...","type":"single-branch"}      -> {pk, channel}
//   {"op":"subscriber","name":"S","seed":"..."}                          -> {pk}
//   {"op":"announce","user":"A"}                                         -> {link}
//   {"op":"receive_announcement","user":"S","link":"..."}
//   {"op":"subscribe","user":"S","link":"..."} / "unsubscribe"          -> {link}
//   {"op":"receive_subscribe","user":"A","link":"..."} / "receive_unsubscribe"
//   {"op":"store_psk","user":"X","seed":"..."}                           -> {id}
//   {"op":"keyload","user":"A","link":"...","pks":[hex],"psks":[hex]}   -> {link, seq}   (both empty: everyone)
//   {"op":"signed"|"tagged","user":"X","link":"...","public":hex,"masked":hex} -> {link, seq}
//   {"op":"fetch","user":"X"}  -> {messages:[{address, type, publisher, public, masked}]}
//   {"op":"export","user":"X","password":"..."}                          -> {state: hex}
//   {"op":"import","name":"X","role":"author"|"subscriber","state":hex,"password":"..."}
//   {"op":"quit"}
"use strict";

const readline = require("readline");
const streams = require("@iota/streams/node");

const node = process.env.STREAMS_NODE_URL || "http://127.0.0.1:14265";
const users = new Map();

function client() {
  return new streams.StreamsClient(node, new streams.SendOptions(node, true));
}

const channelTypes = {
  "single-branch": streams.ChannelType.SingleBranch,
  "multi-branch": streams.ChannelType.MultiBranch,
  "single-depth": streams.ChannelType.SingleDepth,
};

function user(name) {
  const u = users.get(name);
  if (!u) throw new Error(`no user named ${name}`);
  return u;
}

const hex = (bytes) => Buffer.from(bytes || []).toString("hex");
const bytes = (text) => new Uint8Array(Buffer.from(text || "", "hex"));
const address = (text) => streams.Address.parse(text);
const links = (response) => ({
  link: response.link.toString(),
  seq: response.seqLink ? response.seqLink.toString() : null,
});

// One read message as our CLI prints it.
function describe(response) {
  const m = response.message;
  // The official binding gives a message only for signed and tagged packets (keyloads, unreadable ones: none).
  if (!m) return { address: response.link.toString(), type: "other", publisher: null, public: "", masked: "" };
  const id = m.get_identifier();
  const publisher = id && id.length === 64 ? id : null;  // Ed25519 public keys; PSK ids are 32 digits
  return {
    address: response.link.toString(),
    type: publisher ? "signed" : "tagged",
    publisher,
    public: hex(m.get_public_payload()),
    masked: hex(m.get_masked_payload()),
  };
}

const ops = {
  async author(r) {
    const type = channelTypes[r.type || "single-branch"];
    if (type === undefined) throw new Error(`unknown channel type ${r.type}`);
    const a = streams.Author.fromClient(client(), r.seed, type);
    users.set(r.name, { kind: "author", user: a });
    return { pk: a.get_public_key(), channel: a.channel_address() };
  },
  async subscriber(r) {
    const s = streams.Subscriber.fromClient(client(), r.seed);
    users.set(r.name, { kind: "subscriber", user: s });
    return { pk: s.get_public_key() };
  },
  async announce(r) {
    return links(await user(r.user).user.clone().send_announce());
  },
  async receive_announcement(r) {
    await user(r.user).user.clone().receive_announcement(address(r.link));
    return {};
  },
  async subscribe(r) {
    return links(await user(r.user).user.clone().send_subscribe(address(r.link)));
  },
  async unsubscribe(r) {
    return links(await user(r.user).user.clone().send_unsubscribe(address(r.link)));
  },
  async receive_subscribe(r) {
    await user(r.user).user.clone().receive_subscribe(address(r.link));
    return {};
  },
  async receive_unsubscribe(r) {
    await user(r.user).user.clone().receive_unsubscribe(address(r.link));
    return {};
  },
  async store_psk(r) {
    return { id: user(r.user).user.store_psk(r.seed) };
  },
  async keyload(r) {
    const a = user(r.user).user;
    const pks = r.pks || [];
    const psks = r.psks || [];
    if (pks.length === 0 && psks.length === 0) {
      return links(await a.clone().send_keyload_for_everyone(address(r.link)));
    }
    const ids = streams.PskIds.new();
    psks.forEach((id) => ids.add(id));
    const keys = new streams.PublicKeys();
    pks.forEach((pk) => keys.add(pk));
    return links(await a.clone().send_keyload(address(r.link), ids, keys));
  },
  async signed(r) {
    return links(await user(r.user).user.clone().send_signed_packet(address(r.link), bytes(r.public), bytes(r.masked)));
  },
  async tagged(r) {
    return links(await user(r.user).user.clone().send_tagged_packet(address(r.link), bytes(r.public), bytes(r.masked)));
  },
  async fetch(r) {
    const responses = await user(r.user).user.clone().fetchNextMsgs();
    return { messages: responses.map(describe) };
  },
  async export(r) {
    return { state: hex(user(r.user).user.clone().export(r.password)) };
  },
  async import(r) {
    const cls = r.role === "author" ? streams.Author : streams.Subscriber;
    const u = cls.import(client(), bytes(r.state), r.password);
    users.set(r.name, { kind: r.role, user: u });
    return { pk: u.get_public_key() };
  },
  async quit() {
    process.exit(0);
  },
};

async function handle(line) {
  let request;
  try {
    request = JSON.parse(line);
    const op = ops[request.op];
    if (!op) throw new Error(`unknown op ${request.op}`);
    return { ok: true, ...(await op(request)) };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e) };
  }
}

async function main() {
  streams.set_panic_hook();
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    if (!line.trim()) continue;
    process.stdout.write(JSON.stringify(await handle(line)) + "\n");
  }
}

main();
