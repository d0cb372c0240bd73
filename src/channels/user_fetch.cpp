// Walking a channel: the next messages of every known publisher, and back along previous links
// (api/tangle/user.rs fetch_next_msgs, fetch_prev_msg(s), receive_msg_by_sequence_number).
#include "user_internal.h"

namespace iota_streams::channels {

using message::ContentType;

// Single-branch and single-depth readers find a publisher's next message from the last one read. A
// message they cannot open (left out of a keyload) would stop them there for good; when its header is
// sound and it sits where the reader expected it, step over it as the message itself would have moved
// the cursors, and report it as unreadable.
bool User::step_over_unreadable(const Address& link, const MessageBytes& bytes) {
  if (is_multi_branching()) return false;  // sequences move multi-branch readers past such messages
  MessageBytes copy = bytes;
  auto pre = message::Preparsed::parse(copy, link, message::Strictness::kStrict);
  if (!pre.ok() || !is_registered() || link.channel != state_.announcement->channel) return false;
  const ContentType type = pre->content_type();
  if (type != ContentType::kKeyload && type != ContentType::kSignedPacket && type != ContentType::kTaggedPacket) {
    return false;
  }
  if (is_single_depth() && !state_.anchor) return false;
  advance_cursors_after(link, type, pre->header().seq_num);
  return true;
}

std::vector<UnwrappedMessage> User::fetch_next_msgs() {
  std::vector<UnwrappedMessage> read;
  for (const auto& next : gen_next_msg_ids(is_multi_branching())) {
    auto bytes = transport_->recv_message(next.link);
    if (!bytes.ok()) continue;  // nothing there (yet), or not unique
    auto message = handle_message(next.link, *bytes, true);
    if (message.ok()) {
      read.push_back(std::move(message).value());
    } else if (message.error().code() == Errc::kLinkNotFound && step_over_unreadable(next.link, *bytes)) {
      UnwrappedMessage skipped;
      skipped.link = next.link;
      read.push_back(std::move(skipped));
    }
    // Other failures are dropped, as the official fetch_next_msgs does: the cursor stays, and the next
    // call tries again.
  }
  return read;
}

std::vector<UnwrappedMessage> User::fetch_all_next_msgs() {
  std::vector<UnwrappedMessage> all;
  while (true) {
    auto batch = fetch_next_msgs();
    if (batch.empty()) return all;
    for (auto& m : batch) all.push_back(std::move(m));
  }
}

namespace {

// The previous link of the message at `link`, and its content type.
Result<std::pair<Address, ContentType>> previous_of_message(Transport& transport, const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport.recv_message(link));
  STREAMS_ASSIGN_OR_RETURN(auto pre, message::Preparsed::parse(bytes, link));
  auto prev = Address::from_bytes(pre.header().previous_link);
  if (!prev.ok()) return Error(Errc::kNoPreviousMessage, "the message at " + link.to_string() + " has no previous link");
  return std::make_pair(*prev, pre.content_type());
}

}  // namespace

Result<UnwrappedMessage> User::fetch_prev_msg(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto prev, previous_of_message(*transport_, link));
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(prev.first));
  return handle_message(prev.first, std::move(bytes), false);
}

Result<std::vector<UnwrappedMessage>> User::fetch_prev_msgs(const Address& link, size_t max) {
  std::vector<std::pair<Address, MessageBytes>> to_process;
  STREAMS_ASSIGN_OR_RETURN(auto position, previous_of_message(*transport_, link));
  Address current = position.first;
  for (size_t i = 0; i < max; ++i) {
    auto bytes = transport_->recv_message(current);
    if (!bytes.ok()) break;
    MessageBytes message = std::move(bytes).value();
    auto info = previous_of_message(*transport_, current);
    if (!info.ok()) break;  // the announce: no previous link, and never returned
    Address next = info->first;
    if (info->second == ContentType::kSequence) {
      // A sequence in the walk stands for the message it announces.
      STREAMS_ASSIGN_OR_RETURN(auto sequence, read_sequence(current, message));
      STREAMS_ASSIGN_OR_RETURN(message, fetch_sequenced(sequence));
      commit_sequence(sequence, false);
      current = sequence.referenced;
      STREAMS_ASSIGN_OR_RETURN(auto referenced, previous_of_message(*transport_, current));
      next = referenced.first;
    }
    to_process.emplace_back(current, std::move(message));
    current = next;
  }
  std::vector<UnwrappedMessage> out;
  for (auto it = to_process.rbegin(); it != to_process.rend(); ++it) {
    STREAMS_ASSIGN_OR_RETURN(auto message, handle_message(it->first, std::move(it->second), false));
    out.push_back(std::move(message));
  }
  return out;
}

Result<UnwrappedMessage> User::receive_msg_by_sequence_number(const Address& anchor_link, uint32_t msg_num) {
  if (!is_single_depth()) {
    return Error(Errc::kChannelNotSingleDepth, "receive_msg_by_sequence_number needs a single-depth channel");
  }
  if (!state_.author_public_key || !state_.anchor) {
    return Error(Errc::kNotRegistered, "no channel author or anchor yet (read the announce first)");
  }
  STREAMS_TRY(require_in_channel(anchor_link, "anchor"));
  const Address link = link_from(state_.author_public_key->bytes, anchor_link.msgid, msg_num + state_.anchor->seq_no);
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(link));
  return handle_message(link, std::move(bytes), false);
}

}  // namespace iota_streams::channels
