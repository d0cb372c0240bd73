// The contents of the seven Channels messages, each described once as a template over the DDML
// context (size-of, wrap, unwrap), exactly as iota-streams-app-channels/src/message/*.rs at
// tag 1.2.0 lays them out (which differs from the older PDF in several places; see
// ../shared/reference digest C §7). Internal to the channels layer.
#pragma once

#include <vector>

#include "iota_streams/channels/key_store.h"
#include "iota_streams/channels/link_store.h"
#include "iota_streams/crypto/keys.h"
#include "iota_streams/ddml/commands.h"
#include "iota_streams/ddml/status.h"

namespace iota_streams::channels::messages {

using ddml::Mode;
using ddml::Status;

inline constexpr size_t kSessionKeySize = 32;
inline constexpr size_t kKeyloadNonceSize =
    16;  // prng::random_nonce, NBytes<U16> (not 32 as the PDF says)
inline constexpr size_t kMacSize = 32;
inline constexpr size_t kIdHashSize = 64;

// announce.rs: absorb pk; absorb flags; ed25519(HashSig). No join: nothing precedes an announce.
struct Announce {
  crypto::Ed25519PublicKey author;
  uint8_t flags = 0;
  const crypto::Ed25519Keypair* signer = nullptr;

  template <class Ctx>
  Status describe(Ctx& ctx) {
    DDML_TRY(ctx.absorb(author));
    DDML_TRY(ctx.absorb_u8(flags));
    return ctx.ed25519({signer, &author});
  }
};

// subscribe.rs: join; x25519(author key) wraps the unsubscribe key; mask the subscriber's public
// key (no commit before it); ed25519 by the subscriber.
struct Subscribe {
  const LinkStore* store = nullptr;
  MsgId link;
  Secret<kSessionKeySize> unsubscribe_key;
  crypto::Ed25519PublicKey subscriber;
  ddml::KeyExchange exchange;  // wrap: author's X25519 key; unwrap: the author's own X25519 secret
  const crypto::Ed25519Keypair* signer = nullptr;

  template <class Ctx>
  Status describe(Ctx& ctx) {
    DDML_TRY(ctx.join(*store, link.bytes));
    DDML_TRY(ctx.x25519(exchange, unsubscribe_key.view()));
    DDML_TRY(ctx.mask(subscriber));
    return ctx.ed25519({signer, &subscriber});
  }
};

// unsubscribe.rs: join (the subscriber's own subscribe); absorb pk; commit; ed25519.
struct Unsubscribe {
  const LinkStore* store = nullptr;
  MsgId link;
  crypto::Ed25519PublicKey subscriber;
  const crypto::Ed25519Keypair* signer = nullptr;

  template <class Ctx>
  Status describe(Ctx& ctx) {
    DDML_TRY(ctx.join(*store, link.bytes));
    DDML_TRY(ctx.absorb(subscriber));
    DDML_TRY(ctx.commit());
    return ctx.ed25519({signer, &subscriber});
  }
};

// signed_packet.rs: join; absorb the signer's pk (missing from the PDF); absorb bytes public;
// mask bytes masked; ed25519 by that pk.
struct SignedPacket {
  const LinkStore* store = nullptr;
  MsgId link;
  crypto::Ed25519PublicKey publisher;
  ByteSpan public_payload;
  ByteSpan masked_payload;
  const crypto::Ed25519Keypair* signer = nullptr;

  template <class Ctx>
  Status describe(Ctx& ctx) {
    DDML_TRY(ctx.join(*store, link.bytes));
    DDML_TRY(ctx.absorb(publisher));
    DDML_TRY(ctx.absorb_bytes(public_payload));
    DDML_TRY(ctx.mask_bytes(masked_payload));
    return ctx.ed25519({signer, &publisher});
  }
};

// tagged_packet.rs: join; absorb bytes public; mask bytes masked; commit; squeeze mac[32].
struct TaggedPacket {
  const LinkStore* store = nullptr;
  MsgId link;
  ByteSpan public_payload;
  ByteSpan masked_payload;

  template <class Ctx>
  Status describe(Ctx& ctx) {
    DDML_TRY(ctx.join(*store, link.bytes));
    DDML_TRY(ctx.absorb_bytes(public_payload));
    DDML_TRY(ctx.mask_bytes(masked_payload));
    DDML_TRY(ctx.commit());
    return ctx.squeeze_mac(kMacSize);
  }
};

// sequence.rs: join (the publisher's previous sequence, or the announce); the publisher's
// identifier (masked); skip u64 seq_num (not authenticated); absorb the 12-byte msgid the sequenced
// message links to; commit. No signature and no MAC (unlike the PDF).
struct Sequence {
  const LinkStore* store = nullptr;
  MsgId link;
  Identifier publisher;
  uint64_t seq_num = 0;
  MsgId ref_link;

  template <class Ctx>
  Status describe(Ctx& ctx) {
    DDML_TRY(ctx.join(*store, link.bytes));
    DDML_TRY(publisher.describe(ctx));
    DDML_TRY(ctx.skip_u64(seq_num));
    DDML_TRY(ctx.absorb(ref_link.bytes));
    return ctx.commit();
  }
};

// One recipient of a keyload, on the sending side.
struct KeyloadRecipient {
  Identifier id;
  crypto::X25519PublicKey exchange_key;  // Ed25519 recipients
  const crypto::Psk* psk = nullptr;      // PSK recipients
};

// keyload.rs: join; absorb nonce[16]; fork { absorb size n; for each recipient: its identifier
// (masked, chained), fork { PSK: absorb external psk; commit; mask key | Ed25519: x25519(recipient,
// key) }; commit; squeeze external id_hash[64] }; absorb external key; fork { absorb external
// id_hash; ed25519 by the sender }; commit.
//
// Reading, an entry whose key this user cannot open is skipped without absorbing (32 bytes for a
// PSK, 64 for an Ed25519 recipient); with no key at all nothing after the list is read or checked,
// as the official reader does.
struct Keyload {
  const LinkStore* store = nullptr;
  MsgId link;
  Bytes<kKeyloadNonceSize> nonce{};
  Secret<kSessionKeySize> key;
  const crypto::Ed25519Keypair* signer = nullptr;  // wrap
  std::vector<KeyloadRecipient> recipients;        // wrap
  // unwrap
  const crypto::Ed25519PublicKey* author = nullptr;  // the signature is checked against the author
  const KeyStore* own_psks = nullptr;                // PSKs this user holds
  const crypto::Ed25519PublicKey* own_public_key = nullptr;
  const crypto::X25519Secret* own_exchange_secret = nullptr;
  std::vector<Identifier> recipient_ids;  // unwrap: every identifier in the list
  bool key_found = false;

  template <class Ctx>
  Status describe(Ctx& ctx) {
    DDML_TRY(ctx.join(*store, link.bytes));
    DDML_TRY(ctx.absorb(nonce));
    Bytes<kIdHashSize> id_hash{};
    DDML_TRY(ctx.fork([&] { return describe_recipients(ctx, id_hash); }));
    if constexpr (Ctx::kMode == Mode::kUnwrap) {
      // Not for us: the rest cannot be read or checked. The official writer puts exactly one
      // signature after the list, so anything else means the unauthenticated list structure was
      // tampered with.
      if (!key_found) {
        if (ctx.remaining() != crypto::kEd25519SignatureSize) {
          return ddml::fail(
              Errc::kInputNotConsumed,
              STREAMS_TEXT("keyload recipient list (not followed by exactly one signature)"),
              ctx.offset());
        }
        return Status::success();
      }
    }
    DDML_TRY(ctx.absorb_external(key.view()));
    DDML_TRY(ctx.fork([&] {
      DDML_TRY(ctx.absorb_external(id_hash));
      return ctx.ed25519({signer, author});
    }));
    return ctx.commit();
  }

 private:
  template <class Ctx>
  Status describe_recipients(Ctx& ctx, Bytes<kIdHashSize>& id_hash) {
    uint64_t count = recipients.size();
    DDML_TRY(ctx.absorb_size(count));
    for (uint64_t i = 0; i < count; ++i) {
      Identifier id;
      if constexpr (Ctx::kMode != Mode::kUnwrap) id = recipients[i].id;
      DDML_TRY(id.describe(ctx));
      if constexpr (Ctx::kMode == Mode::kUnwrap) recipient_ids.push_back(id);
      DDML_TRY(ctx.fork([&] { return describe_key_entry(ctx, id, i); }));
    }
    DDML_TRY(ctx.commit());
    return ctx.squeeze_external(id_hash);
  }

  template <class Ctx>
  Status describe_key_entry(Ctx& ctx, const Identifier& id, uint64_t i) {
    if (id.is_psk()) {
      const crypto::Psk* psk = nullptr;
      if constexpr (Ctx::kMode == Mode::kUnwrap) {
        psk = own_psks->psk(id);
      } else {
        psk = recipients[i].psk;
      }
      if (psk == nullptr) return ctx.drop(kSessionKeySize);
      DDML_TRY(ctx.absorb_external(psk->view()));
      DDML_TRY(ctx.commit());
      DDML_TRY(ctx.mask(key.view()));
      key_found = true;
      return Status::success();
    }
    if constexpr (Ctx::kMode != Mode::kUnwrap) {
      return ctx.x25519({&recipients[i].exchange_key, nullptr}, key.view());
    } else {
      if (own_public_key == nullptr || id.public_key() != *own_public_key) {
        return ctx.drop(crypto::kX25519KeySize + kSessionKeySize);
      }
      DDML_TRY(ctx.x25519({nullptr, own_exchange_secret}, key.view()));
      key_found = true;
      return Status::success();
    }
  }
};

}  // namespace iota_streams::channels::messages
