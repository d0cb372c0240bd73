// Test support: a transport in a hostile network. It passes everything to another transport, and
// posts extra candidates ("squats") at chosen addresses, as anyone can on a node: at the address of
// the next message of one content type when it is sent, or at any address on request.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "iota_streams/channels/transport.h"
#include "iota_streams/message/message.h"

namespace iota_streams::test {

// What a squatter posts at a message's address.
enum class Squat {
  kJunk,       // 4 bytes, and a copy of the message with its last byte (signature, MAC) flipped
  kReplay,     // an earlier message of the channel, byte for byte (or a foreign announce at the
               // announce)
  kDuplicate,  // the same message again, after it (the same Streams bytes in another node message)
};

inline const char* squat_name(Squat squat) {
  switch (squat) {
    case Squat::kJunk:
      return "junk";
    case Squat::kReplay:
      return "replay";
    case Squat::kDuplicate:
      return "duplicate";
  }
  return "?";
}

class SquatTransport : public channels::Transport {
 public:
  SquatTransport(channels::Transport& base, std::optional<message::ContentType> target, Squat squat)
      : base_(base), target_(target), squat_(squat) {}

  // The message a replay posts when nothing was sent before (the announce): another channel's
  // announce.
  void set_first_replay(channels::MessageBytes bytes) { previous_ = std::move(bytes); }

  // Posts the squat for `message` at `link` now (the announce's address is known before it is
  // sent).
  Result<void> squat_before(const channels::Address& link, ByteSpan message) {
    ++squats_;
    if (squat_ == Squat::kJunk) {
      STREAMS_TRY(base_.send_message(link, std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef}));
      std::vector<uint8_t> flipped(message.begin(), message.end());
      flipped.back() ^= 0x01;
      return base_.send_message(link, flipped);
    }
    if (squat_ == Squat::kReplay) return base_.send_message(link, previous_);
    return {};
  }

  Result<void> send_message(const channels::Address& link, ByteSpan message) override {
    const bool hit = target_ && type_of(link, message) == *target_;
    if (hit && !posted_before_) STREAMS_TRY(squat_before(link, message));
    STREAMS_TRY(base_.send_message(link, message));
    if (hit && squat_ == Squat::kDuplicate) STREAMS_TRY(base_.send_message(link, message));
    previous_.assign(message.begin(), message.end());
    posted_before_ = false;
    return {};
  }

  Result<std::vector<channels::MessageBytes>> recv_messages(
      const channels::Address& link) override {
    return base_.recv_messages(link);
  }

  // The announce: its squat is posted before send_announce looks at the address.
  Result<void> squat_announce(const channels::Address& link, ByteSpan announce) {
    posted_before_ = true;
    return squat_before(link, announce);
  }

  size_t squats() const { return squats_; }

 private:
  static std::optional<message::ContentType> type_of(const channels::Address& link,
                                                     ByteSpan message) {
    std::vector<uint8_t> copy(message.begin(), message.end());
    auto pre = message::Preparsed::parse(copy, link, message::Strictness::kLenient);
    if (!pre.ok()) return std::nullopt;
    return pre->content_type();
  }

  channels::Transport& base_;
  std::optional<message::ContentType> target_;
  Squat squat_;
  channels::MessageBytes previous_;
  bool posted_before_ = false;
  size_t squats_ = 0;
};

}  // namespace iota_streams::test
