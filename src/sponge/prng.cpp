#include "iota_streams/sponge/prng.h"

#include "iota_streams/base/text.h"
#include "iota_streams/sponge/spongos.h"

namespace iota_streams::sponge {

Prng Prng::from_seed_bytes(ByteSpan seed) {
  Spongos s;
  s.absorb(seed);
  s.commit();
  Secret<kPrngKeySize> key;
  s.squeeze(key.view());
  return Prng(key);
}

Prng Prng::from_seed(std::string_view domain, std::string_view seed) {
  Spongos s;
  s.absorb(as_bytes(seed));
  s.commit();
  s.absorb(as_bytes(domain));
  s.commit();
  Secret<kPrngKeySize> key;
  s.squeeze(key.view());
  return Prng(key);
}

void Prng::gen(ByteSpan nonce, MutableByteSpan out) const {
  Spongos s;
  s.absorb(key_.view());
  s.absorb(nonce);
  s.commit();
  s.squeeze(out);
}

}  // namespace iota_streams::sponge
