// Arguments of the DDML commands that need keys. One message description names both roles; the wrap
// context uses the sending side, the unwrap context the receiving side, size-of neither.
#pragma once

#include "iota_streams/crypto/ed25519.h"
#include "iota_streams/crypto/x25519.h"

namespace iota_streams::ddml {

// ed25519(kp, HashSig): commit; squeeze 64 (external); Ed25519ph "IOTAStreams" over them.
struct SignatureKeys {
  const crypto::Ed25519Keypair* signer = nullptr;      // wrap: signs with this
  const crypto::Ed25519PublicKey* verifier = nullptr;  // unwrap: verifies against this
};

// x25519(pk, key) / x25519(sk, key): absorb eph_pk; absorb DH (external); commit; mask key.
struct KeyExchange {
  const crypto::X25519PublicKey* recipient = nullptr;  // wrap: the recipient's X25519 key
  const crypto::X25519Secret* own_secret = nullptr;    // unwrap: our static X25519 secret
};

}  // namespace iota_streams::ddml
