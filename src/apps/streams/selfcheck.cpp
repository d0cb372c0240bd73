// `streams selfcheck`: proves the core layers against known answers from the official 1.2.0 code
// (wire-format digest A §1, §10 and B §7) and prints each check.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "iota_streams/crypto/keys.h"
#include "iota_streams/message/message.h"
#include "iota_streams/sponge/keccak.h"
#include "iota_streams/sponge/spongos.h"

namespace iota_streams::apps {
namespace {

struct AnnounceContent {  // announce.rs: absorb pk; absorb flags; ed25519(HashSig)
  crypto::Ed25519PublicKey pk;
  uint8_t flags = 0;
  const crypto::Ed25519Keypair* signer = nullptr;
  template <class Ctx>
  ddml::Status describe(Ctx& ctx) {
    DDML_TRY(ctx.absorb(pk));
    DDML_TRY(ctx.absorb_u8(flags));
    return ctx.ed25519(ddml::SignatureKeys{signer, &pk});
  }
};

bool report(const char* what, const std::string& got, const char* expected) {
  const bool ok = got == expected;
  if (json_output()) {
    nlohmann::ordered_json line = {{"check", what}, {"ok", ok}};
    if (!ok) line.update({{"expected", expected}, {"got", got}});
    std::printf("%s\n", line.dump().c_str());
    return ok;
  }
  std::printf("%-58s %s\n", what, ok ? "ok" : "MISMATCH");
  if (!ok) std::printf("  expected %s\n  got      %s\n", expected, got.c_str());
  return ok;
}

}  // namespace

int run_selfcheck() {
  bool ok = true;
  uint8_t state[sponge::kKeccakStateBytes] = {};
  sponge::keccak_f1600(state);
  ok &= report("keccak-f[1600] of the zero state", to_hex(ByteSpan(state, 8)), "e7dde140798f25f1");

  Bytes<64> hash;
  const uint8_t three[3] = {0, 1, 2};
  sponge::hash_data(three, hash);
  ok &= report("spongos hash of 00 01 02 (1.2.0 source)", to_hex(hash).substr(0, 32),
               "298aa4ecbb3f149e26967905a74f3339");

  const auto keys = crypto::user_keys_from_seed("AUTHOR9SEED");
  ok &= report("seed AUTHOR9SEED -> Ed25519 public key", to_hex(keys.signing.public_key().bytes),
               "657f9751cb972555032119bdff0ba4a675c82ff55aee3a552ae6aeccad27e024");
  ok &= report("Ed25519 -> X25519 public key", to_hex(keys.exchange_public.bytes),
               "7007e99c3072a249a16b2b327437c9950b05b197b49feb7533fef0bf44f1f201");

  const auto channel = message::make_channel_address(keys.signing.public_key());
  message::Header header;
  header.link = {channel, message::gen_msgid(channel, keys.signing.public_key().bytes, {}, 0, 0)};
  header.sender = keys.signing.public_key();
  ok &= report("announce message id", header.link.msgid.to_hex(), "196753aa70924e009b6c4def");
  ok &= report("announce index (BLAKE2b-256)", to_hex(header.link.index()),
               "4fab7a5abb75d58748cd01ac7eb3a74a1de61570511e33e75e8a7e572deb04de");

  AnnounceContent content{keys.signing.public_key(), 0, &keys.signing};
  const auto size = message::measure(header, content);
  std::string bytes(size.ok() ? *size : 0, '\0');
  auto out = MutableByteSpan(reinterpret_cast<uint8_t*>(bytes.data()), bytes.size());
  const auto wrapped = message::wrap(header, content, out);
  ok &= wrapped.ok();
  ok &=
      report("announce bytes, Ed25519ph \"IOTAStreams\" signature tail", to_hex(out).substr(2 * 87),
             "ef747f44ed3bc3968fce3c14e8772413c0a2ea163ee33749451b34454a1c8a0a1fbe648a5c3e76b1048b4"
             "96c6bc1ab0a"
             "375921bc4e3464ea69bab38d3daa3b07");
  auto parsed = message::Preparsed::parse(out, header.link);
  AnnounceContent read;
  const bool read_ok =
      parsed.ok() && parsed->unwrap(read).ok() && read.pk == keys.signing.public_key();
  ok &= report("announce unwraps and verifies", read_ok ? "yes" : "no", "yes");
  if (json_output()) {
    std::printf("%s\n", nlohmann::json{{"passed", ok}}.dump().c_str());
  } else {
    std::printf("%s\n", ok ? "selfcheck passed" : "selfcheck FAILED");
  }
  return ok ? 0 : 1;
}

}  // namespace iota_streams::apps
