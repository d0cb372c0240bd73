#include "iota_streams/channels/author.h"

#include <algorithm>

#include "user_internal.h"

namespace iota_streams::channels {

Author::Author(std::string_view seed, ChannelType type, Transport& transport,
               const UserOptions& options)
    : UserBase(seed, type, transport, options) {
  (void)detail::create_channel(
      *this, 0);  // cannot fail on a fresh user (Author::new ignores its result too)
}

Result<Author> Author::recover(std::string_view seed, const Address& announcement, ChannelType type,
                               Transport& transport, const UserOptions& options) {
  Author author(seed, type, transport, options);
  if (*author.announcement_link() != announcement) {
    return Error(Errc::kInvalidArgument, "the seed's announce is at " +
                                             author.announcement_link()->to_string() + ", not at " +
                                             announcement.to_string());
  }
  // Build our announce into a scratch transport, then compare it with the published one.
  class Capture : public Transport {
   public:
    Result<void> send_message(const Address&, ByteSpan message) override {
      bytes.assign(message.begin(), message.end());
      return {};
    }
    Result<std::vector<MessageBytes>> recv_messages(const Address&) override {
      return std::vector<MessageBytes>{};
    }
    MessageBytes bytes;
  } capture;
  author.set_transport(capture);
  STREAMS_TRY(author.send_announce());
  author.set_transport(transport);
  // Others may have posted at the address too: our announce must be among the messages there.
  STREAMS_ASSIGN_OR_RETURN(auto published, transport.recv_messages(announcement));
  if (std::find(published.begin(), published.end(), capture.bytes) == published.end()) {
    return Error(Errc::kInvalidArgument, "the message at " + announcement.to_string() +
                                             " is not this seed's announce for a " +
                                             std::string(channel_type_name(type)) + " channel");
  }
  return author;
}

Result<Author> Author::import_state(ByteSpan bytes, std::string_view password, Transport& transport,
                                    StateFormat format, const UserOptions& options) {
  STREAMS_ASSIGN_OR_RETURN(auto state,
                           channels::import_state(bytes, Role::kAuthor, password, format, options));
  return Author(std::move(state), transport, options);
}

Result<std::vector<uint8_t>> Author::export_state(std::string_view password, StateFormat format,
                                                  const crypto::PasswordCost& cost) const {
  return channels::export_state(state(), Role::kAuthor, password, format, cost);
}

Result<crypto::PskId> Author::store_psk(std::string_view psk_seed) {
  return detail::store_psk_from_seed(*this, psk_seed, false);
}
Result<void> Author::store_psk(const crypto::PskId& id, const crypto::Psk& psk) {
  return detail::store_psk(*this, id, psk, false);
}

Result<Address> Author::send_announce() { return detail::send_announce(*this); }
Result<Address> Author::prepare_announce() { return detail::prepare_announce(*this); }
Result<void> Author::receive_subscribe(const Address& link) {
  return detail::receive_subscribe(*this, link);
}
Result<void> Author::receive_unsubscribe(const Address& link) {
  return detail::receive_unsubscribe(*this, link);
}
Result<void> Author::store_new_subscriber(const crypto::Ed25519PublicKey& subscriber) {
  return detail::store_new_subscriber(*this, subscriber);
}
Result<void> Author::remove_subscriber(const crypto::Ed25519PublicKey& subscriber) {
  return detail::remove_subscriber(*this, subscriber);
}

Result<MessageLinks> Author::send_keyload(const Address& link_to,
                                          const std::vector<Identifier>& recipients) {
  return detail::send_keyload(*this, link_to, recipients);
}
Result<MessageLinks> Author::prepare_keyload(const Address& link_to,
                                             const std::vector<Identifier>& recipients) {
  return detail::prepare_keyload(*this, link_to, recipients);
}
Result<MessageLinks> Author::send_keyload_for_everyone(const Address& link_to) {
  return detail::send_keyload_for_everyone(*this, link_to);
}
Result<MessageLinks> Author::prepare_keyload_for_everyone(const Address& link_to) {
  return detail::prepare_keyload_for_everyone(*this, link_to);
}
Result<MessageLinks> Author::send_signed_packet(const Address& link_to, ByteSpan public_payload,
                                                ByteSpan masked_payload) {
  return detail::send_signed_packet(*this, link_to, public_payload, masked_payload);
}
Result<MessageLinks> Author::prepare_signed_packet(const Address& link_to, ByteSpan public_payload,
                                                   ByteSpan masked_payload) {
  return detail::prepare_signed_packet(*this, link_to, public_payload, masked_payload);
}
Result<MessageLinks> Author::send_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                                ByteSpan masked_payload) {
  return detail::send_tagged_packet(*this, link_to, public_payload, masked_payload);
}
Result<MessageLinks> Author::prepare_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                                   ByteSpan masked_payload) {
  return detail::prepare_tagged_packet(*this, link_to, public_payload, masked_payload);
}

}  // namespace iota_streams::channels
