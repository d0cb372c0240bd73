// Walking a channel: the next messages of every known publisher, and back along previous links
// (api/tangle/user.rs fetch_next_msgs, fetch_prev_msg(s), receive_msg_by_sequence_number). Every
// read goes through the receive skeleton (user_receive.cpp), so junk at an address never hides a
// message.
#include <algorithm>
#include <utility>

#include "user_internal.h"

namespace iota_streams::channels {

using detail::Accept;
using detail::Attempt;
using message::ContentType;

namespace {

// Single-branch and single-depth readers find a publisher's next message from the last one read. A
// message they cannot open (left out of a keyload) would stop them there for good; when its header
// is sound and it sits where the reader expected it, step over it as the message itself would have
// moved the cursors, and report it as unreadable.
bool step_over_unreadable(UserBase& user, const detail::Reading& unreadable) {
  if (user.is_multi_branching())
    return false;  // sequences move multi-branch readers past such messages
  const ContentType type = unreadable.type;
  if (type != ContentType::kKeyload && type != ContentType::kSignedPacket &&
      type != ContentType::kTaggedPacket) {
    return false;
  }
  if (user.is_single_depth() && !user.state().anchor) return false;
  detail::advance_cursors_after(user, unreadable.link, type, unreadable.seq_num);
  return true;
}

}  // namespace

FetchResult UserBase::fetch_next_msgs() {
  FetchResult result;
  for (const auto& next : gen_next_msg_ids(is_multi_branching())) {
    Attempt attempt = detail::read_at(*this, next.link, Accept::kAnyMessage);
    if (attempt.transport_failed) {
      result.transport_error = std::move(*attempt.error);
      core_.last_read = std::move(attempt.report);
      return result;
    }
    std::optional<size_t> stepped_over;
    if (attempt.reading) {
      detail::apply(*this, *attempt.reading, true);
      result.messages.push_back(detail::unwrapped_of(*attempt.reading));
    } else if (attempt.unreadable && attempt.unreadable_code == Errc::kLinkNotFound &&
               step_over_unreadable(*this, *attempt.unreadable)) {
      UnwrappedMessage skipped;
      skipped.link = next.link;
      result.messages.push_back(std::move(skipped));
      stepped_over = attempt.unreadable_candidate;
    }
    // Refused candidates stay refused: the cursor stays where it is when none was read, and the
    // next call tries again. The one stepped over is not refused: it is this reader's unreadable
    // message.
    for (auto& refusal : attempt.report.refused) {
      if (stepped_over && refusal.candidate == *stepped_over) continue;
      result.refused.push_back(refusal);
    }
    core_.last_read = std::move(attempt.report);
  }
  return result;
}

FetchResult UserBase::fetch_all_next_msgs(RoundGate may_continue, void* context) {
  FetchResult all;
  for (bool first = true;; first = false) {  // each round that reads something moves a cursor
                                             // forward; the channel is finite
    if (!first && may_continue && !may_continue(all, context)) {
      all.stopped = true;
      return all;
    }
    FetchResult batch = fetch_next_msgs();
    for (auto& m : batch.messages) all.messages.push_back(std::move(m));
    // An address where nothing was read is tried again next round: report its refusals once.
    for (auto& refusal : batch.refused) {
      bool seen = false;
      for (const auto& known : all.refused) {
        seen = seen || (known.link == refusal.link && known.candidate == refusal.candidate);
      }
      if (!seen) all.refused.push_back(std::move(refusal));
    }
    if (batch.transport_error) {
      all.transport_error = std::move(batch.transport_error);
      return all;
    }
    if (batch.messages.empty()) return all;
  }
}

namespace {

// The previous link of the message at `link`, and its content type. Junk at the address does not
// parse strictly; every candidate that does has the same header (the address pins sender, link and
// number).
Result<std::pair<Address, ContentType>> previous_of_message(Transport& transport,
                                                            const Address& link,
                                                            size_t max_candidates) {
  STREAMS_ASSIGN_OR_RETURN(auto candidates, transport.recv_messages(link));
  if (candidates.empty())
    return STREAMS_ERROR_AT(Errc::kLinkNotFoundInTransport, link.msgid.bytes.data(),
                            "no message found at " + link.to_string());
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  if (max_candidates != 0 && candidates.size() > max_candidates) {
    return STREAMS_ERROR_AT(Errc::kCapacityExceeded, link.msgid.bytes.data(),
                            std::to_string(candidates.size()) + " different messages found at " +
                                link.to_string() + ", more than the " +
                                std::to_string(max_candidates) +
                                " a read takes from one address (UserOptions::max_candidates)");
  }
  std::optional<Error> first_error;
  for (auto& bytes : candidates) {
    auto pre = message::Preparsed::parse(bytes, link, message::Strictness::kStrict);
    if (!pre.ok()) {
      if (!first_error) first_error = std::move(pre).error();
      continue;
    }
    auto prev = Address::from_bytes(pre->header().previous_link);
    if (!prev.ok()) {
      return STREAMS_ERROR_AT(Errc::kNoPreviousMessage, link.msgid.bytes.data(),
                              "the message at " + link.to_string() + " has no previous link");
    }
    return std::make_pair(*prev, pre->content_type());
  }
  return std::move(*first_error);
}

}  // namespace

Result<UnwrappedMessage> UserBase::fetch_prev_msg(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto prev,
                           previous_of_message(transport(), link, core_.options.max_candidates));
  STREAMS_ASSIGN_OR_RETURN(auto read,
                           detail::receive(*this, prev.first, Accept::kAnyMessage, false));
  return detail::unwrapped_of(*read);
}

Result<std::vector<UnwrappedMessage>> UserBase::fetch_prev_msgs(const Address& link, size_t max) {
  std::vector<Address> to_read;  // newest first
  STREAMS_ASSIGN_OR_RETURN(auto position,
                           previous_of_message(transport(), link, core_.options.max_candidates));
  Address current = position.first;
  for (size_t i = 0; i < max; ++i) {
    auto info = previous_of_message(transport(), current, core_.options.max_candidates);
    if (!info.ok()) break;  // nothing there, or the announce: no previous link, and never returned
    Address next = info->first;
    if (info->second == ContentType::kSequence) {
      // A sequence in the walk stands for the message it announces.
      Attempt sequence = detail::read_at(*this, current, Accept::kSequence);
      core_.last_read = std::move(sequence.report);
      if (!sequence.reading) return std::move(*sequence.error);
      detail::commit_sequence(*this, *sequence.reading->sequence, false);
      current = sequence.reading->sequence->referenced;
      STREAMS_ASSIGN_OR_RETURN(
          auto referenced, previous_of_message(transport(), current, core_.options.max_candidates));
      next = referenced.first;
    }
    to_read.push_back(current);
    current = next;
  }
  std::vector<UnwrappedMessage> out;
  for (auto it = to_read.rbegin(); it != to_read.rend(); ++it) {
    STREAMS_ASSIGN_OR_RETURN(auto read, detail::receive(*this, *it, Accept::kAnnounced, false));
    out.push_back(detail::unwrapped_of(*read));
  }
  return out;
}

Result<UnwrappedMessage> UserBase::receive_msg_by_sequence_number(const Address& anchor_link,
                                                                  uint32_t msg_num) {
  if (!is_single_depth()) {
    return STREAMS_ERROR(Errc::kChannelNotSingleDepth,
                         "receive_msg_by_sequence_number needs a single-depth channel");
  }
  const UserState& state = core_.state;
  if (!state.author_public_key || !state.anchor) {
    return STREAMS_ERROR(Errc::kNotRegistered,
                         "no channel author or anchor yet (read the announce first)");
  }
  STREAMS_TRY(detail::require_in_channel(*this, anchor_link, "anchor"));
  const Address link = detail::link_from(*this, state.author_public_key->bytes, anchor_link.msgid,
                                         msg_num + state.anchor->seq_no);
  STREAMS_ASSIGN_OR_RETURN(auto read, detail::receive(*this, link, Accept::kAnyMessage, false));
  return detail::unwrapped_of(*read);
}

}  // namespace iota_streams::channels
