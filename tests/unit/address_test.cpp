// Addresses: text form, malformed text, bytes, channel address, message ids and indexes.
#include <gtest/gtest.h>

#include "iota_streams/crypto/keys.h"
#include "iota_streams/message/address.h"
#include "support/vectors.h"

namespace iota_streams::message {
namespace {

TEST(Address, DocTestTextForm) {
  Address a;
  a.channel.bytes.fill(0xaa);
  a.msgid.bytes.fill(0xff);
  EXPECT_EQ(a.to_string(), std::string(80, 'a') + ":" + std::string(24, 'f'));
  auto parsed = Address::parse(std::string(80, 'A') + ":" + std::string(24, 'F'));  // either case
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, a);
}

TEST(Address, MalformedTextGivesAClearError) {
  const std::string channel(80, '1'), msgid(24, '2');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {channel + msgid, "no ':'"},
      {channel.substr(2) + ":" + msgid, "80 hex digits, got 78"},
      {channel + ":" + msgid + "00", "24 hex digits, got 26"},
      {channel + ":" + msgid.substr(1) + "g", "not hex"},
      {"x" + channel.substr(1) + ":" + msgid, "channel part is not hex"},
      {channel + ":" + msgid.substr(0, 12) + ":" + msgid.substr(0, 11), "message id is not hex"},
      {"", "no ':'"},
  };
  for (const auto& [text, expected] : cases) {
    auto parsed = Address::parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message().find(expected), std::string::npos)
        << parsed.error().message();
  }
}

TEST(Address, BytesRoundTripAndLengthCheck) {
  Address a;
  for (size_t i = 0; i < a.channel.bytes.size(); ++i) a.channel.bytes[i] = static_cast<uint8_t>(i);
  a.msgid.bytes.fill(7);
  const auto bytes = a.to_bytes();
  auto back = Address::from_bytes(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, a);
  EXPECT_EQ(Address::from_bytes(ByteSpan(bytes).first(51)).error().code(), Errc::kInvalidAddress);
}

TEST(Address, ChannelAddressAnnounceIdAndIndexOfReferenceAuthor) {
  const auto v = test::load_vectors("streams-core.json")["keys"][0];
  const auto keys = crypto::user_keys_from_seed(v["seed"].get<std::string>());
  const ChannelAddress channel = make_channel_address(keys.signing.public_key());
  EXPECT_EQ(channel.to_hex(), v["appinst"].get<std::string>());
  EXPECT_EQ(channel_author(channel), keys.signing.public_key());
  Address announce{channel, gen_msgid(channel, keys.signing.public_key().bytes, MsgId{}, 0, 0)};
  EXPECT_EQ(announce.msgid.to_hex(), v["announce_msgid"].get<std::string>());
  EXPECT_EQ(to_hex(announce.index()), v["announce_index"].get<std::string>());
}

TEST(Address, MessageIdsOfTheReferenceFlow) {
  const auto channel =
      make_channel_address(crypto::user_keys_from_seed("AUTHOR9SEED").signing.public_key());
  const auto vectors = test::load_vectors("streams-core.json");
  for (const auto& v : vectors["msgids"]) {
    const auto sender =
        crypto::user_keys_from_seed(v["seed"].get<std::string>()).signing.public_key();
    MsgId link;
    ASSERT_TRUE(from_hex(v["link"].get<std::string>(), link.bytes));
    const MsgId id = gen_msgid(channel, sender.bytes, link, 0, v["seq"].get<uint32_t>());
    EXPECT_EQ(id.to_hex(), v["msgid"].get<std::string>());
    EXPECT_EQ(to_hex(Address{channel, id}.index()), v["index"].get<std::string>());
  }
}

}  // namespace
}  // namespace iota_streams::message
