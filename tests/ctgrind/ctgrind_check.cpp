// ctgrind-style check (Adam Langley's method): the secret inputs of Keccak-f[1600], of every
// Spongos operation and of the MAC check are marked undefined with memcheck's client requests, so
// that valgrind reports any branch or memory index that depends on them ("Conditional jump or move
// depends on uninitialised value(s)", "Use of uninitialised value"). Results are marked defined
// again (declassified) only where the protocol reveals them: the bytes put on the wire and the MAC
// check's yes or no. Outside valgrind the client requests do nothing and the program only checks
// its own results.
//   ctgrind_check           the library's code: valgrind must report nothing
//   ctgrind_check --leaky   a deliberately secret-dependent comparison: valgrind must report it
// Run through scripts/ctgrind.sh (valgrind --error-exitcode=1); CTest: ctgrind, ctgrind_self_test.
#include <valgrind/memcheck.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "iota_streams/base/secret.h"
#include "iota_streams/sponge/keccak.h"
#include "iota_streams/sponge/spongos.h"

namespace {

using iota_streams::ByteSpan;
using iota_streams::equal_ct;
using iota_streams::sponge::Inner;
using iota_streams::sponge::Spongos;

void secret(const void* data, size_t size) { (void)VALGRIND_MAKE_MEM_UNDEFINED(data, size); }
void declassify(const void* data, size_t size) { (void)VALGRIND_MAKE_MEM_DEFINED(data, size); }

std::vector<uint8_t> filled(size_t size, uint8_t seed) {
  std::vector<uint8_t> out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(seed + 31 * i);
  return out;
}

int failures = 0;
void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "ctgrind_check: wrong result: %s\n", what);
    ++failures;
  }
}

void keccak() {
  uint8_t state[iota_streams::sponge::kKeccakStateBytes];
  for (size_t i = 0; i < sizeof state; ++i) state[i] = static_cast<uint8_t>(i);
  secret(state, sizeof state);
  iota_streams::sponge::keccak_f1600(state);
  iota_streams::sponge::keccak_f1600(state);
  declassify(state, sizeof state);
  uint8_t zero[sizeof state] = {};
  expect(std::memcmp(state, zero, sizeof state) != 0, "keccak-f[1600] output");
}

// A spongos keyed by a secret inner state and a secret key: absorb, commit, squeeze, encrypt (over
// more than one rate block), join, then the reader's decrypt and MAC check.
void spongos() {
  Inner inner;
  const auto inner_bytes = filled(inner.size(), 7);
  std::memcpy(inner.data(), inner_bytes.data(), inner.size());
  const auto key = filled(32, 99);
  const auto plaintext = filled(300, 1);
  secret(inner.data(), inner.size());
  secret(key.data(), key.size());
  secret(plaintext.data(), plaintext.size());

  Spongos writer(inner);
  writer.absorb(key);
  writer.commit();
  std::vector<uint8_t> derived(64);
  writer.squeeze(derived);
  Spongos joinee(inner);
  joinee.absorb(derived);
  writer.join(joinee);
  std::vector<uint8_t> ciphertext(plaintext.size());
  writer.encrypt(plaintext, ciphertext);
  writer.commit();
  std::vector<uint8_t> mac(32);
  writer.squeeze(mac);
  writer.commit();
  Inner after;
  expect(writer.to_inner(after), "to_inner of a committed spongos");
  declassify(ciphertext.data(), ciphertext.size());  // on the wire
  declassify(mac.data(), mac.size());

  Spongos reader(inner);
  reader.absorb(key);
  reader.commit();
  reader.squeeze(derived);
  Spongos reader_joinee(inner);
  reader_joinee.absorb(derived);
  reader.join(reader_joinee);
  std::vector<uint8_t> decrypted(ciphertext.size());
  reader.decrypt(ciphertext, decrypted);
  reader.commit();
  Spongos forged = reader;
  bool mac_ok = reader.squeeze_eq(mac);  // the MAC check: only its yes or no is revealed
  declassify(&mac_ok, sizeof mac_ok);
  expect(mac_ok, "MAC of the message as sent");
  auto wrong = mac;
  wrong[31] ^= 1;
  bool forged_ok = forged.squeeze_eq(wrong);
  declassify(&forged_ok, sizeof forged_ok);
  expect(!forged_ok, "MAC with its last byte changed");

  declassify(decrypted.data(), decrypted.size());
  declassify(plaintext.data(), plaintext.size());
  expect(decrypted == plaintext, "decrypt(encrypt(plaintext))");
}

// Constant-time equality of secrets (Secret::operator==, the link store's comparison).
void secret_equality() {
  const auto a = filled(32, 3);
  auto b = a;
  b[0] ^= 1;
  secret(a.data(), a.size());
  secret(b.data(), b.size());
  bool same = equal_ct(a, a);
  bool differ = equal_ct(a, b);
  declassify(&same, sizeof same);
  declassify(&differ, sizeof differ);
  expect(same && !differ, "equal_ct");
}

// The self-test: an early-exit comparison, the timing leak the check exists to catch.
[[gnu::noinline]] bool leaky_equal(ByteSpan a, ByteSpan b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

void leaky() {
  const auto a = filled(32, 3);
  const auto b = filled(32, 3);
  secret(a.data(), a.size());
  bool same = leaky_equal(a, b);
  declassify(&same, sizeof same);
  expect(same, "leaky_equal");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--leaky") == 0) {
    leaky();
  } else {
    keccak();
    spongos();
    secret_equality();
  }
  if (failures == 0) std::printf("ctgrind_check: %s done\n", argc > 1 ? argv[1] : "library");
  return failures == 0 ? 0 : 2;
}
