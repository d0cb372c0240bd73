// Secrets by type: constant-time equality (its results; tests/ctgrind checks its timing), wiping on
// destruction (the spongos inner state included), and no plaintext left in the caller's buffer by a
// message refused for its MAC or signature.
#include <gtest/gtest.h>

#include <algorithm>
#include <new>
#include <type_traits>
#include <vector>

#include "iota_streams/base/secret.h"
#include "iota_streams/crypto/keys.h"
#include "iota_streams/message/message.h"
#include "iota_streams/sponge/spongos.h"

namespace iota_streams {
namespace {

Bytes<32> pattern(uint8_t start) {
  Bytes<32> out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(start + i);
  return out;
}

TEST(EqualCt, EqualBytesAreEqual) {
  const auto a = pattern(1);
  const auto b = pattern(1);
  EXPECT_TRUE(equal_ct(a, b));
  EXPECT_TRUE(equal_ct(ByteSpan(), ByteSpan()));
}

TEST(EqualCt, DifferenceAtTheFirstByte) {
  const auto a = pattern(1);
  auto b = a;
  b[0] ^= 0x80;
  EXPECT_FALSE(equal_ct(a, b));
  EXPECT_FALSE(equal_ct(b, a));
}

TEST(EqualCt, DifferenceAtTheLastByte) {
  const auto a = pattern(1);
  auto b = a;
  b[31] ^= 0x01;
  EXPECT_FALSE(equal_ct(a, b));
}

TEST(EqualCt, EveryBitOfEveryByteCounts) {
  const auto a = pattern(200);
  for (size_t i = 0; i < a.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      auto b = a;
      b[i] ^= static_cast<uint8_t>(1 << bit);
      EXPECT_FALSE(equal_ct(a, b)) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(EqualCt, DifferentSizesAreNotEqual) {
  const auto a = pattern(1);
  EXPECT_FALSE(equal_ct(a, ByteSpan(a).first(31)));
}

TEST(Secret, EqualityComparesEveryByte) {
  const Secret<32> a(pattern(7));
  EXPECT_TRUE(a == Secret<32>(pattern(7)));
  auto first = pattern(7);
  first[0] = 0;
  EXPECT_FALSE(a == Secret<32>(first));
  auto last = pattern(7);
  last[31] = 0;
  EXPECT_FALSE(a == Secret<32>(last));
}

// Builds a T in a buffer of ours, fills it, destroys it and returns what the buffer holds then.
template <class T>
std::vector<uint8_t> bytes_after_destruction() {
  alignas(T) unsigned char storage[sizeof(T)];
  T* secret = new (storage) T(pattern(0xA0));
  EXPECT_NE(std::count(secret->data(), secret->data() + T::size(), 0), 32);
  const size_t at = static_cast<size_t>(secret->data() - reinterpret_cast<uint8_t*>(storage));
  secret->~T();
  return std::vector<uint8_t>(storage + at, storage + at + T::size());
}

TEST(Secret, DestructorWipes) {
  EXPECT_EQ(bytes_after_destruction<Secret<32>>(), std::vector<uint8_t>(32, 0));
}

// The spongos inner state (locals, pending messages, readings, the link store) is such a secret.
static_assert(std::is_same_v<sponge::Inner, Secret<sponge::kCapacity>>);
static_assert(!std::is_trivially_destructible_v<sponge::Inner>);

TEST(Secret, SpongosInnerIsWipedOnDestruction) {
  EXPECT_EQ(bytes_after_destruction<sponge::Inner>(), std::vector<uint8_t>(32, 0));
}

// The MAC check: true only when every byte matches, a difference in the first or the last byte
// (past a permutation: 200 bytes span two rate blocks) counting the same.
TEST(SpongosSqueezeEq, ResultsForEqualAndDifferingMacs) {
  sponge::Spongos reference;
  reference.absorb(pattern(3));
  reference.commit();
  std::vector<uint8_t> mac(200);
  sponge::Spongos copy = reference;
  copy.squeeze(mac);

  sponge::Spongos same = reference;
  EXPECT_TRUE(same.squeeze_eq(mac));
  for (size_t at : {size_t{0}, size_t{167}, size_t{168}, size_t{199}}) {
    auto wrong = mac;
    wrong[at] ^= 1;
    sponge::Spongos s = reference;
    EXPECT_FALSE(s.squeeze_eq(wrong)) << "difference at byte " << at;
    EXPECT_EQ(s.pos(), same.pos());  // the state advances the same either way
  }
}

// Contents with a masked payload, authenticated by a MAC or by a signature (as tagged and signed
// packets are).
struct MacContent {
  ByteSpan masked;

  template <class Ctx>
  ddml::Status describe(Ctx& ctx) {
    DDML_TRY(ctx.commit());  // a permuted state: masking is not the identity
    DDML_TRY(ctx.mask_bytes(masked));
    DDML_TRY(ctx.commit());
    return ctx.squeeze_mac(32);
  }
};

struct SignedContent {
  crypto::Ed25519PublicKey pk;
  ByteSpan masked;
  const crypto::Ed25519Keypair* signer = nullptr;

  template <class Ctx>
  ddml::Status describe(Ctx& ctx) {
    DDML_TRY(ctx.absorb(pk));
    DDML_TRY(ctx.commit());
    DDML_TRY(ctx.mask_bytes(masked));
    return ctx.ed25519(ddml::SignatureKeys{signer, &pk});
  }
};

class RefusedPlaintext : public ::testing::Test {
 protected:
  crypto::UserKeys keys_ = crypto::user_keys_from_seed("PLAINTEXT9SEED");
  message::ChannelAddress channel_ = message::make_channel_address(keys_.signing.public_key());
  message::Address link_{channel_, message::gen_msgid(channel_, keys_.signing.public_key().bytes,
                                                      message::MsgId{}, 0, 0)};
  const std::vector<uint8_t> plaintext_ = std::vector<uint8_t>(48, 0x5A);

  template <class Content>
  std::vector<uint8_t> wrap(Content& content) {
    message::Header header;
    header.content_type = static_cast<uint8_t>(message::ContentType::kAnnounce);  // no link needed
    header.link = link_;
    header.sender = keys_.signing.public_key();
    auto size = message::measure(header, content);
    EXPECT_TRUE(size.ok());
    std::vector<uint8_t> out(size.ok() ? *size : 0);
    EXPECT_TRUE(message::wrap(header, content, out).ok());
    return out;
  }

  bool holds_plaintext(const std::vector<uint8_t>& bytes) const {
    return std::search(bytes.begin(), bytes.end(), plaintext_.begin(), plaintext_.end()) !=
           bytes.end();
  }

  // Unwraps `bytes` in place; the error code (kOk when read).
  template <class Content>
  Errc unwrap(std::vector<uint8_t>& bytes, Content& content) {
    auto pre = message::Preparsed::parse(bytes, link_, message::Strictness::kStrict);
    EXPECT_TRUE(pre.ok());
    if (!pre.ok()) return pre.error().code();
    auto inner = pre->unwrap(content);
    return inner.ok() ? Errc::kOk : inner.error().code();
  }
};

TEST_F(RefusedPlaintext, ReadMessageKeepsItsPlaintextInTheBuffer) {
  MacContent sent{plaintext_};
  auto bytes = wrap(sent);
  ASSERT_FALSE(holds_plaintext(bytes));  // masked on the wire
  MacContent got;
  EXPECT_EQ(unwrap(bytes, got), Errc::kOk);
  EXPECT_TRUE(
      std::equal(got.masked.begin(), got.masked.end(), plaintext_.begin(), plaintext_.end()));
  EXPECT_TRUE(holds_plaintext(bytes));  // decrypted in place: what the caller reads
}

TEST_F(RefusedPlaintext, BadMacWipesThePlaintext) {
  MacContent sent{plaintext_};
  auto bytes = wrap(sent);
  ASSERT_FALSE(holds_plaintext(bytes));
  bytes.back() ^= 1;  // the last MAC byte
  MacContent got;
  EXPECT_EQ(unwrap(bytes, got), Errc::kBadMac);
  EXPECT_FALSE(holds_plaintext(bytes));
  // Where the plaintext was decrypted (just before the 32-byte MAC) the buffer now holds zeros.
  const auto payload = bytes.end() - 32 - static_cast<std::ptrdiff_t>(plaintext_.size());
  EXPECT_EQ(std::count(payload, bytes.end() - 32, 0),
            static_cast<std::ptrdiff_t>(plaintext_.size()));
}

TEST_F(RefusedPlaintext, BadSignatureWipesThePlaintext) {
  SignedContent sent{keys_.signing.public_key(), plaintext_, &keys_.signing};
  auto bytes = wrap(sent);
  ASSERT_FALSE(holds_plaintext(bytes));
  bytes.back() ^= 1;  // the last signature byte
  SignedContent got;
  got.pk = keys_.signing.public_key();
  EXPECT_EQ(unwrap(bytes, got), Errc::kSignatureMismatch);
  EXPECT_FALSE(holds_plaintext(bytes));
}

TEST_F(RefusedPlaintext, CallerCanWipeAfterALaterRefusal) {
  MacContent sent{plaintext_};
  auto bytes = wrap(sent);
  auto pre = message::Preparsed::parse(bytes, link_, message::Strictness::kStrict);
  ASSERT_TRUE(pre.ok());
  MacContent got;
  ASSERT_TRUE(pre->unwrap(got).ok());
  EXPECT_EQ(pre->plaintext().size(), plaintext_.size());
  EXPECT_TRUE(holds_plaintext(bytes));
  pre->wipe_plaintext();  // what the channels layer does once a check after the MAC refuses
  EXPECT_FALSE(holds_plaintext(bytes));
  EXPECT_TRUE(pre->plaintext().empty());
}

}  // namespace
}  // namespace iota_streams
