// The official library's side of scripts/bench-node.sh: an author announces, then sends COUNT signed
// packets (256-byte masked payloads) through a node; prints one JSON line with the rate.
//   node bench/node_official.js URL COUNT
"use strict";

const path = require("path");
const streams = require(path.join(__dirname, "../tests/interop/node_modules/@iota/streams/node"));

async function main() {
  const [url, countText] = process.argv.slice(2);
  const count = Number(countText || 50);
  const client = new streams.StreamsClient(url, new streams.SendOptions(url, true));
  const author = streams.Author.fromClient(client, `bench official ${Date.now()}`, streams.ChannelType.SingleBranch);
  const announcement = (await author.clone().send_announce()).link;
  const masked = new Uint8Array(256).fill(7);
  let link = announcement;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; ++i) {
    link = (await author.clone().send_signed_packet(link, new Uint8Array([i & 255]), masked)).link;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ client: "official", messages: count, seconds, per_second: count / seconds }));
}

main().catch((e) => {
  console.error(`error: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
