// DDML: the three contexts agree (size-of = bytes written), wrap then unwrap is the identity for
// random field values, and every single-byte flip of a wrapped stream is rejected unless it lies in
// a field the protocol skips (not authenticated).
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "iota_streams/crypto/keys.h"
#include "iota_streams/ddml/sizeof_context.h"
#include "iota_streams/ddml/unwrap_context.h"
#include "iota_streams/ddml/wrap_context.h"
#include "support/vectors.h"

namespace iota_streams::ddml {
namespace {

class MapStore : public LinkLookup {
 public:
  bool lookup(ByteSpan link, sponge::Inner& out) const override {
    auto it = inners_.find(std::vector<uint8_t>(link.begin(), link.end()));
    if (it == inners_.end()) return false;
    out = it->second;
    return true;
  }
  void put(ByteSpan link, const sponge::Inner& inner) {
    inners_[std::vector<uint8_t>(link.begin(), link.end())] = inner;
  }

 private:
  std::map<std::vector<uint8_t>, sponge::Inner> inners_;
};

// Every command once, in the shape the Channels messages use them. Byte ranges of skipped fields
// are recorded so that the flip test can tell authenticated bytes from the rest.
struct KitchenSink {
  uint8_t u8 = 0;
  uint32_t u32 = 0;
  uint64_t u64 = 0;
  uint64_t size = 0;
  Bytes<16> fixed{};
  crypto::Ed25519PublicKey pk;
  ByteSpan bytes;
  uint8_t masked_u8 = 0;
  Bytes<7> masked_fixed{};
  crypto::Ed25519PublicKey masked_pk;
  ByteSpan masked_bytes;
  uint8_t skipped_u8 = 0;
  uint64_t skipped_u64 = 0;
  Bytes<5> skipped_fixed{};
  Bytes<12> link{};
  Bytes<32> wrapped_key{};
  Bytes<64> external_hash{};

  const LinkLookup* store = nullptr;
  SignatureKeys signature;
  KeyExchange exchange;
  std::vector<std::pair<size_t, size_t>> skipped;  // [begin, end) of skipped fields

  template <class Ctx>
  Status describe(Ctx& ctx) {
    skipped.clear();
    DDML_TRY(ctx.join(*store, link));
    DDML_TRY(ctx.absorb_u8(u8));
    DDML_TRY(ctx.absorb_u32(u32));
    DDML_TRY(ctx.absorb_u64(u64));
    DDML_TRY(ctx.absorb_size(size));
    DDML_TRY(ctx.absorb(fixed));
    DDML_TRY(ctx.absorb(pk));
    DDML_TRY(ctx.absorb_bytes(bytes));
    size_t at = ctx.offset();
    DDML_TRY(ctx.skip_u8(skipped_u8));
    DDML_TRY(ctx.skip_u64(skipped_u64));
    DDML_TRY(ctx.skip(skipped_fixed));
    skipped.emplace_back(at, ctx.offset());
    DDML_TRY(ctx.mask_u8(masked_u8));
    DDML_TRY(ctx.mask(masked_fixed));
    DDML_TRY(ctx.mask(masked_pk));
    DDML_TRY(ctx.mask_bytes(masked_bytes));
    DDML_TRY(ctx.x25519(exchange, wrapped_key));
    DDML_TRY(ctx.fork([&] {
      DDML_TRY(ctx.absorb_external(as_bytes("inside a fork")));
      DDML_TRY(ctx.commit());
      return ctx.squeeze_external(external_hash);
    }));
    DDML_TRY(ctx.absorb_external(external_hash));
    DDML_TRY(ctx.commit());
    DDML_TRY(ctx.squeeze_mac(32));
    return ctx.ed25519(signature);
  }
};

class DdmlRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    sponge::Inner inner{};
    for (size_t i = 0; i < inner.size(); ++i) inner.data()[i] = static_cast<uint8_t>(i * 3);
    link_ = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    store_.put(link_, inner);
  }

  KitchenSink random_fields(std::mt19937& rng) {
    KitchenSink m;
    auto byte = [&] { return static_cast<uint8_t>(rng()); };
    m.u8 = byte();
    m.u32 = static_cast<uint32_t>(rng());
    m.u64 = (static_cast<uint64_t>(rng()) << 32) | rng();
    m.size = (static_cast<uint64_t>(rng()) << 32 | rng()) >> (rng() % 64);
    for (auto& b : m.fixed) b = byte();
    m.pk = crypto::user_keys_from_seed("pk" + std::to_string(rng())).signing.public_key();
    m.masked_pk = crypto::user_keys_from_seed("mpk" + std::to_string(rng())).signing.public_key();
    public_payload_.resize(rng() % 400);
    for (auto& b : public_payload_) b = byte();
    masked_payload_.resize(rng() % 400);
    for (auto& b : masked_payload_) b = byte();
    m.bytes = public_payload_;
    m.masked_bytes = masked_payload_;
    m.masked_u8 = byte();
    for (auto& b : m.masked_fixed) b = byte();
    m.skipped_u8 = byte();
    m.skipped_u64 = (static_cast<uint64_t>(rng()) << 32) | rng();
    for (auto& b : m.skipped_fixed) b = byte();
    for (auto& b : m.wrapped_key) b = byte();
    m.link = link_;
    m.store = &store_;
    m.signature.signer = &sender_.signing;
    m.exchange.recipient = &recipient_.exchange_public;
    return m;
  }

  KitchenSink receiver() {
    KitchenSink m;
    m.store = &store_;
    m.signature.verifier = &sender_.signing.public_key();
    m.exchange.own_secret = &recipient_.exchange_secret;
    return m;
  }

  std::vector<uint8_t> wrap(KitchenSink& m) {
    SizeofContext sizer;
    EXPECT_TRUE(m.describe(sizer).ok());
    std::vector<uint8_t> out(sizer.size());
    WrapContext ctx(out);
    const Status status = m.describe(ctx);
    EXPECT_TRUE(status.ok()) << status.what;
    EXPECT_EQ(ctx.offset(), out.size());
    return out;
  }

  const crypto::UserKeys sender_ = crypto::user_keys_from_seed("DDML9SENDER");
  const crypto::UserKeys recipient_ = crypto::user_keys_from_seed("DDML9RECIPIENT");
  MapStore store_;
  Bytes<12> link_{};
  std::vector<uint8_t> public_payload_, masked_payload_;
};

TEST_F(DdmlRoundTrip, WrapThenUnwrapIsIdentity) {
  std::mt19937 rng(20211006);
  for (int round = 0; round < 40; ++round) {
    KitchenSink sent = random_fields(rng);
    auto stream = wrap(sent);
    KitchenSink got = receiver();
    UnwrapContext ctx(stream);
    const Status status = got.describe(ctx);
    ASSERT_TRUE(status.ok()) << status.what << " at " << status.offset;
    EXPECT_EQ(ctx.remaining(), 0u);
    EXPECT_EQ(got.u8, sent.u8);
    EXPECT_EQ(got.u32, sent.u32);
    EXPECT_EQ(got.u64, sent.u64);
    EXPECT_EQ(got.size, sent.size);
    EXPECT_EQ(got.fixed, sent.fixed);
    EXPECT_EQ(got.pk, sent.pk);
    EXPECT_TRUE(
        std::equal(got.bytes.begin(), got.bytes.end(), sent.bytes.begin(), sent.bytes.end()));
    EXPECT_EQ(got.masked_u8, sent.masked_u8);
    EXPECT_EQ(got.masked_fixed, sent.masked_fixed);
    EXPECT_EQ(got.masked_pk, sent.masked_pk);
    EXPECT_TRUE(std::equal(got.masked_bytes.begin(), got.masked_bytes.end(),
                           sent.masked_bytes.begin(), sent.masked_bytes.end()));
    EXPECT_EQ(got.skipped_u8, sent.skipped_u8);
    EXPECT_EQ(got.skipped_u64, sent.skipped_u64);
    EXPECT_EQ(got.skipped_fixed, sent.skipped_fixed);
    EXPECT_EQ(got.wrapped_key, sent.wrapped_key);
    EXPECT_EQ(got.external_hash, sent.external_hash);
  }
}

TEST_F(DdmlRoundTrip, MaskedPayloadIsNotInClear) {
  std::mt19937 rng(7);
  KitchenSink sent = random_fields(rng);
  const std::vector<uint8_t> secret(64, 0xAB);
  sent.masked_bytes = secret;
  auto stream = wrap(sent);
  EXPECT_EQ(std::search(stream.begin(), stream.end(), secret.begin(), secret.begin() + 16),
            stream.end());
}

TEST_F(DdmlRoundTrip, EveryFlippedByteOutsideSkippedFieldsIsRejected) {
  std::mt19937 rng(99);
  KitchenSink sent = random_fields(rng);
  public_payload_.resize(3);
  masked_payload_.resize(2);
  sent.bytes = public_payload_;
  sent.masked_bytes = masked_payload_;
  const auto stream = wrap(sent);
  ASSERT_EQ(sent.skipped.size(), 1u);
  int accepted = 0;
  for (size_t i = 0; i < stream.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      auto copy = stream;
      copy[i] ^= mask;
      KitchenSink got = receiver();
      UnwrapContext ctx(copy);
      const bool ok = got.describe(ctx).ok();
      const bool in_skipped = i >= sent.skipped[0].first && i < sent.skipped[0].second;
      if (in_skipped) {
        EXPECT_TRUE(ok) << "skipped fields are not authenticated, byte " << i;
        ++accepted;
      } else {
        EXPECT_FALSE(ok) << "flip of byte " << i << " with mask " << int(mask) << " was accepted";
      }
    }
  }
  EXPECT_EQ(accepted, 3 * 14);  // u8 + u64 + 5 fixed bytes skipped: they pass by design
}

TEST_F(DdmlRoundTrip, TruncationAtEveryLengthIsAnErrorNotACrash) {
  std::mt19937 rng(5);
  KitchenSink sent = random_fields(rng);
  const auto stream = wrap(sent);
  for (size_t n = 0; n < stream.size(); ++n) {
    std::vector<uint8_t> copy(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(n));
    KitchenSink got = receiver();
    UnwrapContext ctx(copy);
    const Status status = got.describe(ctx);
    ASSERT_FALSE(status.ok()) << "truncated to " << n;
  }
}

TEST(DdmlSize, EncodingsOfTheDigest) {
  const std::vector<std::pair<uint64_t, std::string>> cases = {{0, "00"},
                                                               {1, "0101"},
                                                               {127, "017f"},
                                                               {128, "0180"},
                                                               {255, "01ff"},
                                                               {256, "020100"},
                                                               {65535, "02ffff"},
                                                               {52, "0134"},
                                                               {1ULL << 32, "050100000000"},
                                                               {~0ULL, "08ffffffffffffffff"}};
  for (const auto& [n, hex] : cases) {
    uint8_t out[kMaxSizeEncoding];
    const size_t len = encode_size(n, out);
    EXPECT_EQ(to_hex(ByteSpan(out, len)), hex) << n;
    EXPECT_EQ(sizeof_size(n), len);
    std::vector<uint8_t> stream(out, out + len);
    UnwrapContext ctx(stream);
    uint64_t decoded = 0;
    ASSERT_TRUE(ctx.absorb_size(decoded).ok());
    EXPECT_EQ(decoded, n);
  }
}

TEST(DdmlSize, NonMinimalEncodingIsAcceptedLikeTheOfficialReader) {
  std::vector<uint8_t> stream = {0x02, 0x00, 0x05};
  UnwrapContext ctx(stream);
  uint64_t n = 0;
  ASSERT_TRUE(ctx.absorb_size(n).ok());
  EXPECT_EQ(n, 5u);
}

TEST(DdmlBytes, LengthBeyondTheStreamIsAnError) {
  std::vector<uint8_t> stream = {0x02, 0xff, 0xff, 'a', 'b'};
  UnwrapContext ctx(stream);
  ByteSpan bytes;
  const Status status = ctx.absorb_bytes(bytes);
  EXPECT_EQ(status.code, Errc::kStreamTooShort);
}

TEST(DdmlWrap, SmallBufferIsAnErrorNotAnOverflow) {
  std::vector<uint8_t> out(3);
  WrapContext ctx(out);
  const Bytes<8> data{};
  EXPECT_EQ(ctx.absorb(data).code, Errc::kOutputTooSmall);
  EXPECT_EQ(ctx.offset(), 0u);
}

TEST(DdmlJoin, UnknownLinkIsReportedBeforeWriting) {
  MapStore empty;
  std::vector<uint8_t> out(12);
  WrapContext ctx(out);
  const Bytes<12> link{};
  EXPECT_EQ(ctx.join(empty, link).code, Errc::kLinkNotFound);
  EXPECT_EQ(ctx.offset(), 0u);
}

TEST(DdmlMask, MaskBeforeAnyPermutationIsTheIdentity) {
  // Why the header's sender id appears in clear on the wire (fewer than 168 bytes absorbed, no
  // commit).
  std::vector<uint8_t> out(4);
  WrapContext ctx(out);
  ASSERT_TRUE(ctx.absorb_external(as_bytes("some absorbed bytes")).ok());
  const Bytes<4> value = {9, 8, 7, 6};
  ASSERT_TRUE(ctx.skip(Bytes<0>{}).ok());
  ASSERT_TRUE(ctx.mask(value).ok());  // position 19 onwards is still zero
  EXPECT_EQ(out, std::vector<uint8_t>(value.begin(), value.end()));
}

}  // namespace
}  // namespace iota_streams::ddml
