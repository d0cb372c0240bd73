#include "iota_streams/crypto/psk.h"
#include "iota_streams/base/text.h"

#include "iota_streams/sponge/prng.h"
#include "iota_streams/sponge/spongos.h"

namespace iota_streams::crypto {

Psk psk_from_seed(ByteSpan seed) {
  Psk psk;
  sponge::Prng::from_seed_bytes(seed).gen(as_bytes("PSK"), psk.view());
  return psk;
}

PskId pskid_from_psk(const Psk& psk) {
  PskId id;
  sponge::Prng::from_seed_bytes(psk.view()).gen(as_bytes("PSKID"), id.bytes);
  return id;
}

PskId pskid_from_str(std::string_view text) {
  PskId id;
  if (text.size() < kPskIdSize) {
    std::copy(text.begin(), text.end(), id.bytes.begin());  // zero-padded on the right
    return id;
  }
  sponge::Spongos s;  // no key here: "PSKID" is absorbed first (psk.rs pskid_from_str)
  s.absorb(as_bytes("PSKID"));
  s.absorb(as_bytes(text));
  s.commit();
  s.squeeze(id.bytes);
  return id;
}

}  // namespace iota_streams::crypto
