// Header and payload frame: the bytes of the reference announce, field round trips, and which
// single-byte flips of a signed message pass (lenient reading, as the official reader) or not
// (strict, our default).
#include <gtest/gtest.h>

#include <set>

#include "iota_streams/crypto/keys.h"
#include "iota_streams/message/message.h"
#include "support/vectors.h"

namespace iota_streams::message {
namespace {

// The announce content (announce.rs): absorb pk; absorb flags; ed25519(HashSig). Enough to exercise
// the frame with an authenticated content; the Channels layer owns the real message types.
struct AnnounceLike {
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

struct Fixture {
  crypto::UserKeys keys = crypto::user_keys_from_seed("AUTHOR9SEED");
  ChannelAddress channel = make_channel_address(keys.signing.public_key());
  Address link{channel, gen_msgid(channel, keys.signing.public_key().bytes, MsgId{}, 0, 0)};

  std::vector<uint8_t> wrap_announce() {
    Header header;
    header.content_type = static_cast<uint8_t>(ContentType::kAnnounce);
    header.link = link;
    header.sender = keys.signing.public_key();
    AnnounceLike content{keys.signing.public_key(), 0, &keys.signing};
    auto size = measure(header, content);
    EXPECT_TRUE(size.ok());
    std::vector<uint8_t> out(*size);
    auto wrapped = wrap(header, content, out);
    EXPECT_TRUE(wrapped.ok());
    return out;
  }

  Result<sponge::Inner> read(std::vector<uint8_t> bytes, Strictness strictness) {
    STREAMS_ASSIGN_OR_RETURN(auto preparsed, Preparsed::parse(bytes, link, strictness));
    AnnounceLike content;
    return preparsed.unwrap(content);
  }
};

TEST(Header, ReferenceAnnounceBytes) {
  Fixture f;
  const auto v = test::load_vectors("streams-core.json")["announce_AUTHOR9SEED"];
  auto bytes = f.wrap_announce();
  EXPECT_EQ(to_hex(bytes), v["bytes"].get<std::string>());
  auto inner = f.read(bytes, Strictness::kStrict);
  ASSERT_TRUE(inner.ok()) << inner.error().message();
  EXPECT_EQ(to_hex(inner->view()), v["inner"].get<std::string>());
}

TEST(Header, FieldsRoundTrip) {
  Fixture f;
  auto bytes = f.wrap_announce();
  auto preparsed = Preparsed::parse(bytes, f.link);
  ASSERT_TRUE(preparsed.ok());
  const Header& h = preparsed->header();
  EXPECT_EQ(h.content_type, 0);
  EXPECT_EQ(h.payload_length, 1);
  EXPECT_EQ(h.payload_frame_count, 0u);
  EXPECT_EQ(h.seq_num, 0u);
  EXPECT_TRUE(h.previous_link.empty());
  EXPECT_EQ(h.sender, Identifier(f.keys.signing.public_key()));
  EXPECT_EQ(preparsed->header_size(), 50u);
}

// What each unauthenticated header byte is, for the flip report.
std::string unauthenticated_reason(size_t offset) {
  if (offset == 2 || offset == 3)
    return "payload length (skipped; the official writer always puts 1)";
  if (offset >= 5 && offset <= 7) return "frame count (skipped; always 0)";
  if (offset >= 9 && offset <= 16) return "sequence number (skipped; implied by the address)";
  if (offset >= 51 && offset <= 53) return "payload frame number (skipped; always 1)";
  return "";
}

TEST(Header, SingleByteFlipsLenientPassOnlyInSkippedFieldsStrictNever) {
  Fixture f;
  const auto bytes = f.wrap_announce();
  std::set<size_t> lenient_passes;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {0x01, 0x02, 0x40, 0xff}) {
      auto copy = bytes;
      copy[i] ^= mask;
      EXPECT_FALSE(f.read(copy, Strictness::kStrict).ok())
          << "strict accepted a flip at byte " << i;
      if (f.read(copy, Strictness::kLenient).ok()) {
        lenient_passes.insert(i);
        EXPECT_NE(unauthenticated_reason(i), "")
            << "lenient accepted a flip of authenticated byte " << i;
      }
    }
  }
  for (size_t i : lenient_passes)
    std::cout << "  flip of byte " << i << " passes a lenient reader: " << unauthenticated_reason(i)
              << "\n";
  // payload length low byte, frame count, sequence number and frame number bytes
  EXPECT_TRUE(lenient_passes.count(3) && lenient_passes.count(9) && lenient_passes.count(16) &&
              lenient_passes.count(53));
}

TEST(Header, ReservedBitsVersionAndFrameTypeAreChecked) {
  Fixture f;
  const auto bytes = f.wrap_announce();
  auto expect_code = [&](size_t offset, uint8_t mask, Errc code) {
    auto copy = bytes;
    copy[offset] ^= mask;
    auto result = Preparsed::parse(copy, f.link, Strictness::kLenient);
    ASSERT_FALSE(result.ok()) << offset;
    EXPECT_EQ(result.error().code(), code) << result.error().message();
  };
  expect_code(1, 0x01, Errc::kInvalidVersion);
  expect_code(2, 0x04, Errc::kInvalidBitReservation);
  expect_code(4, 0x01, Errc::kInvalidFrameType);
  expect_code(5, 0x80, Errc::kInvalidBitReservation);
}

TEST(Header, MessageReadAtAnotherAddressFails) {
  Fixture f;
  auto bytes = f.wrap_announce();
  f.link.msgid.bytes[0] ^= 1;
  EXPECT_FALSE(f.read(bytes, Strictness::kLenient).ok());
}

TEST(Header, TruncatedAtEveryLengthIsAnError) {
  Fixture f;
  const auto bytes = f.wrap_announce();
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> copy(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(f.read(copy, Strictness::kLenient).ok()) << n;
  }
}

TEST(Header, TrailingBytesAreIgnoredAsTheOfficialReaderDoes) {
  Fixture f;
  auto bytes = f.wrap_announce();
  bytes.push_back(0x99);
  EXPECT_TRUE(f.read(bytes, Strictness::kStrict).ok());
}

}  // namespace
}  // namespace iota_streams::message
