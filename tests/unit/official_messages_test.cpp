// Every message stored in the official vector files: its index is BLAKE2b-256 of the address a step
// returned, it parses (strictly: the unauthenticated fields follow the official writer's rules),
// and its header agrees with the step that produced it (type, sender, previous link).
#include <gtest/gtest.h>

#include <map>

#include "iota_streams/crypto/blake2b.h"
#include "iota_streams/crypto/keys.h"
#include "iota_streams/crypto/psk.h"
#include "iota_streams/message/message.h"
#include "support/vectors.h"
#include "vector_file.h"

namespace iota_streams::message {
namespace {

struct Origin {
  std::string who, cmd, args;
  bool is_sequence = false;  // the second address of a multi-branch send
};

struct Scenario {
  std::map<std::string, Identifier> pk_of;        // who -> Ed25519 identity
  std::map<std::string, Identifier> pskid_of;     // who -> PSK identity (after store-psk)
  std::map<std::string, Origin> origin_of;        // address text -> producing step
  std::map<std::string, std::string> address_of;  // index hex -> address text
};

Scenario load_scenario(const nlohmann::json& file) {
  Scenario s;
  for (const auto& step : file["steps"]) {
    const std::string who = step["who"], cmd = step["cmd"], args = step["args"],
                      result = step["result"];
    if (cmd == "author-create" || cmd == "subscriber-create") {
      const std::string seed = cmd == "author-create" ? args.substr(0, args.rfind(' ')) : args;
      s.pk_of[who] = crypto::user_keys_from_seed(seed).signing.public_key();
    }
    if (cmd == "store-psk") s.pskid_of[who] = crypto::pskid_from_seed(as_bytes(args));
    if (cmd == "announce" || cmd == "subscribe" || cmd == "unsubscribe" || cmd == "keyload" ||
        cmd == "signed" || cmd == "tagged") {
      int n = 0;
      for (const auto& address : apps::find_addresses(result)) {
        s.origin_of[address.to_string()] = Origin{who, cmd, args, n++ == 1};
      }
    }
    for (const auto& address : apps::find_addresses(result))
      s.address_of[to_hex(address.index())] = address.to_string();
  }
  return s;
}

ContentType expected_type(const Origin& o) {
  if (o.is_sequence) return ContentType::kSequence;
  if (o.cmd == "announce") return ContentType::kAnnounce;
  if (o.cmd == "subscribe") return ContentType::kSubscribe;
  if (o.cmd == "unsubscribe") return ContentType::kUnsubscribe;
  if (o.cmd == "keyload") return ContentType::kKeyload;
  if (o.cmd == "signed") return ContentType::kSignedPacket;
  return ContentType::kTaggedPacket;
}

TEST(OfficialMessages, EveryStoredMessageParsesAndAgreesWithItsStep) {
  int checked = 0;
  for (const auto& path : test::official_vector_files()) {
    SCOPED_TRACE(path);
    const auto file = test::load_vectors(path);
    const Scenario s = load_scenario(file);
    std::map<std::string, std::string>
        last_sequence_of;  // who -> msgid of their latest sequence message
    std::string announce_msgid;
    for (const auto& m : file["messages"]) {
      auto data = test::hex_bytes(m["data"]);
      const std::string index = m["index"];
      ASSERT_TRUE(s.address_of.count(index)) << "no step returned the address of index " << index;
      const std::string text = s.address_of.at(index);
      const Address address = *Address::parse(text);
      EXPECT_EQ(to_hex(crypto::blake2b_256(test::hex_bytes(m["raw"]))),
                m["messageId"].get<std::string>());

      auto preparsed = Preparsed::parse(data, address, Strictness::kStrict);
      ASSERT_TRUE(preparsed.ok()) << text << ": " << preparsed.error().message();
      const Header& h = preparsed->header();
      ASSERT_TRUE(s.origin_of.count(text)) << text;
      const Origin& o = s.origin_of.at(text);
      EXPECT_EQ(preparsed->content_type(), expected_type(o)) << text;
      EXPECT_EQ(h.payload_length, 1);
      const bool psk_sender = s.pskid_of.count(o.who) && h.sender == s.pskid_of.at(o.who);
      EXPECT_TRUE(h.sender == s.pk_of.at(o.who) || psk_sender) << "sender of " << text;

      const std::string prev =
          h.previous_link.empty() ? "" : Address::from_bytes(h.previous_link)->to_string();
      if (o.cmd == "announce") {
        EXPECT_EQ(prev, "");
        announce_msgid = address.msgid.to_hex();
      } else if (o.is_sequence) {
        // joined to the publisher's previous sequence message, or to the announce for the first one
        const std::string expected =
            last_sequence_of.count(o.who) ? last_sequence_of[o.who] : announce_msgid;
        EXPECT_EQ(prev.substr(81), expected) << text;
        last_sequence_of[o.who] = address.msgid.to_hex();
      } else {
        EXPECT_EQ(prev, o.args.substr(0, kAddressTextSize)) << text;  // the step's link argument
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 23);
}

}  // namespace
}  // namespace iota_streams::message
