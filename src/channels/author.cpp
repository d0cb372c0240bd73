#include "iota_streams/channels/author.h"

#include <algorithm>

namespace iota_streams::channels {

Author::Author(std::string_view seed, ChannelType type, Transport& transport,
               const UserOptions& options)
    : UserBase(seed, type, transport, options) {
  (void)create_channel(0);  // cannot fail on a fresh user (Author::new ignores its result too)
}

Result<Author> Author::recover(std::string_view seed, const Address& announcement, ChannelType type,
                               Transport& transport, const UserOptions& options) {
  Author author(seed, type, transport, options);
  if (*author.announcement_link() != announcement) {
    return STREAMS_ERROR(Errc::kInvalidArgument, "the seed's announce is at " +
                                                     author.announcement_link()->to_string() +
                                                     ", not at " + announcement.to_string());
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
    return STREAMS_ERROR(Errc::kInvalidArgument, "the message at " + announcement.to_string() +
                                                     " is not this seed's announce for a " +
                                                     std::string(channel_type_name(type)) +
                                                     " channel");
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

}  // namespace iota_streams::channels
