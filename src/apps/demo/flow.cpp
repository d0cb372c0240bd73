#include "flow.h"

#include <memory>

#include "iota_streams/base/platform.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"

namespace iota_streams::apps {
namespace {

using channels::Address;
using channels::Author;
using channels::Subscriber;
using channels::UnwrappedMessage;

std::vector<uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }
std::string text_of(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

std::string random_seed() {
  Bytes<32> seed;
  platform::random_bytes(seed.data(), seed.size());
  return to_hex(seed);
}

// "<pk>\n    <id> => <msgid,branch:seq>" as the official Display of an Author or Subscriber.
template <class U>
std::string describe_user(const U& user) {
  std::string out = "<" + to_hex(user.get_public_key().bytes) + ">";
  for (const auto* entry : user.state().key_store.entries()) {
    out += "\n    <" + entry->id.to_hex() + "> => <" + entry->cursor.link.to_hex() + "," +
           std::to_string(entry->cursor.branch_no) + ":" + std::to_string(entry->cursor.seq_no) +
           ">";
  }
  return out;
}

std::string describe_message(const UnwrappedMessage& m) {
  std::string out = "    @" + m.link.to_string() + "[";
  switch (m.kind) {
    case UnwrappedMessage::Kind::kKeyload:
      out += m.has_access ? "Keyload" : "Keyload (no access)";
      break;
    case UnwrappedMessage::Kind::kSignedPacket:
      out += "SignedPacket { pk: " + to_hex(m.publisher->bytes) + ", public_payload: \"" +
             text_of(m.public_payload) + "\", masked_payload: \"" + text_of(m.masked_payload) +
             "\" }";
      break;
    case UnwrappedMessage::Kind::kTaggedPacket:
      out += "TaggedPacket { public_payload: \"" + text_of(m.public_payload) +
             "\", masked_payload: \"" + text_of(m.masked_payload) + "\" }";
      break;
    case UnwrappedMessage::Kind::kUnreadable:
      out += "Unreadable";
      break;
  }
  out += "]";
  if (m.prev_link) out += "->" + m.prev_link->to_string();
  return out;
}

// Runs the steps in order; each returns false after reporting its failure.
class Flow {
 public:
  Flow(const FlowOptions& options, FlowObserver& observer)
      : options_(options), observer_(observer) {}

  bool run() {
    observer_.begin("NEW BUCKET TRANSPORT INSTANTIATED");
    observer_.done("NEW BUCKET TRANSPORT INSTANTIATED", "");
    const std::string author_seed =
        options_.author_seed.empty() ? random_seed() : options_.author_seed;
    observer_.begin("GENERATED SEED");
    observer_.done("GENERATED SEED", "'" + author_seed + "' for author");
    observer_.begin("NEW AUTHOR INSTANTIATED");
    author_ = std::make_unique<Author>(author_seed, options_.type, bucket_);
    observer_.done("NEW AUTHOR INSTANTIATED", describe_user(*author_));
    const std::string subscriber_seed =
        options_.subscriber_seed.empty() ? random_seed() : options_.subscriber_seed;
    observer_.begin("GENERATED SEED");
    observer_.done("GENERATED SEED", "'" + subscriber_seed + "' for subscriber");
    observer_.begin("NEW SUBSCRIBER INSTANTIATED");
    subscriber_ = std::make_unique<Subscriber>(subscriber_seed, bucket_);
    if (!finish("NEW SUBSCRIBER INSTANTIATED", describe_user(*subscriber_))) return false;
    return original_steps() && todo_steps();
  }

 private:
  template <class T>
  bool ok(const char* step, const Result<T>& result) {
    if (result.ok()) return true;
    observer_.failed(step, result.error().message());
    return false;
  }

  // The step succeeded: report it, then let the observer keep (or restore) the users' state.
  bool finish(const char* step, const std::string& detail) {
    observer_.done(step, detail);
    return observer_.checkpoint(step, author_, subscriber_, bucket_);
  }

  bool expect(const char* step, bool condition, const std::string& what) {
    if (!condition) observer_.failed(step, what);
    return condition;
  }

  bool original_steps() {
    const char* step = "ANNOUNCEMENT MESSAGE SENT";
    observer_.begin(step);
    auto announce = author_->send_announce();
    if (!ok(step, announce)) return false;
    announcement_ = *announce;
    if (!finish(step, announce->to_string())) return false;

    step = "SUBSCRIBER RECEIVED ANNOUNCEMENT LINK OOB AND RETRIEVED ANNOUNCEMENT MESSAGE";
    observer_.begin(step);
    if (!ok(step, subscriber_->receive_announcement(announcement_))) return false;
    if (!finish(step, "")) return false;

    step = "SUBSCRIBER SUBSCRIPTION MESSAGE SENT";
    observer_.begin(step);
    auto subscription = subscriber_->send_subscribe(announcement_);
    if (!ok(step, subscription)) return false;
    subscription_ = *subscription;
    if (!finish(step, subscription->to_string())) return false;

    step = "AUTHOR RECEIVED SUBSCRIPTION MESSAGE";
    observer_.begin(step);
    if (!ok(step, author_->receive_subscribe(subscription_))) return false;
    if (!finish(step, "")) return false;
    step = "AUTHOR SYNC'ED STATE";
    observer_.begin(step);
    (void)author_->sync_state();
    if (!finish(step, "")) return false;

    step = "AUTHOR SENT KEYLOAD TO EVERYONE";
    observer_.begin(step);
    auto keyload = author_->send_keyload_for_everyone(announcement_);
    if (!ok(step, keyload)) return false;
    if (!finish(step, keyload->msg_link.to_string())) return false;

    step = "SIGNED PACKET SENT";
    observer_.begin(step);
    auto first = author_->send_signed_packet(keyload->msg_link, bytes_of("public payload"),
                                             bytes_of("encryted payload"));
    if (!ok(step, first)) return false;
    if (!finish(step, first->msg_link.to_string())) return false;
    observer_.begin(step);
    // Single-depth packets all link to the anchor (the keyload); the other types chain them.
    keyload_ = keyload->msg_link;
    auto second = author_->send_signed_packet(
        next_link(first->msg_link), bytes_of("public payload 2"), bytes_of("encryted payload 2"));
    if (!ok(step, second)) return false;
    if (!finish(step, second->msg_link.to_string())) return false;
    last_ = second->msg_link;

    step = "MESSAGES RECEIVED BY SUBSCRIBER";
    observer_.begin(step);
    const auto messages = subscriber_->fetch_all_next_msgs().messages;
    std::string listing = "[";
    for (const auto& m : messages) listing += "\n" + describe_message(m) + ",";
    listing += "\n]";
    const bool as_sent =
        messages.size() == 3 && messages[0].kind == UnwrappedMessage::Kind::kKeyload &&
        messages[0].has_access && text_of(messages[1].masked_payload) == "encryted payload" &&
        text_of(messages[2].public_payload) == "public payload 2" &&
        text_of(messages[2].masked_payload) == "encryted payload 2";
    if (!expect(step, as_sent,
                "the subscriber did not read the keyload and both signed packets: " + listing))
      return false;
    if (!finish(step, listing)) return false;
    return true;
  }

  // The PoC's TODO: "complete flow with SingleBranching".
  bool todo_steps() {
    const char* step = "TAGGED PACKET SENT";
    observer_.begin(step);
    auto tagged = author_->send_tagged_packet(next_link(last_), bytes_of("tagged public"),
                                              bytes_of("tagged masked"));
    if (!ok(step, tagged)) return false;
    if (!finish(step, tagged->msg_link.to_string())) return false;
    last_ = tagged->msg_link;

    step = "SUBSCRIBER RECEIVED TAGGED PACKET";
    observer_.begin(step);
    auto read = subscriber_->fetch_all_next_msgs().messages;
    const bool tagged_ok = read.size() == 1 &&
                           read[0].kind == UnwrappedMessage::Kind::kTaggedPacket &&
                           text_of(read[0].masked_payload) == "tagged masked";
    if (!expect(step, tagged_ok, "the subscriber did not read the tagged packet")) return false;
    if (!finish(step, describe_message(read[0]))) return false;

    step = "SUBSCRIBER SENT SIGNED PACKET";
    observer_.begin(step);
    auto own = subscriber_->send_signed_packet(last_, bytes_of("from the subscriber"),
                                               bytes_of("subscriber secret"));
    if (options_.type == channels::ChannelType::kSingleDepth) {
      // Only the author publishes in a single-depth channel: the refusal is the expected outcome.
      if (!expect(step, !own.ok() && own.error().code() == Errc::kSingleDepthOperation,
                  "a subscriber could publish in a single-depth channel")) {
        return false;
      }
      if (!finish(step, "refused, as in the official library: " + own.error().message()))
        return false;
      return unsubscribe_steps();
    }
    if (!ok(step, own)) return false;
    if (!finish(step, own->msg_link.to_string())) return false;

    step = "AUTHOR RECEIVED SUBSCRIBER'S PACKET";
    observer_.begin(step);
    auto by_author = author_->fetch_all_next_msgs().messages;
    const bool packet_ok = by_author.size() == 1 &&
                           by_author[0].publisher == subscriber_->get_public_key() &&
                           text_of(by_author[0].masked_payload) == "subscriber secret";
    if (!expect(step, packet_ok, "the author did not read the subscriber's signed packet"))
      return false;
    if (!finish(step, describe_message(by_author[0]))) return false;
    return unsubscribe_steps();
  }

  bool unsubscribe_steps() {
    const char* step = "SUBSCRIBER SENT UNSUBSCRIBE";
    observer_.begin(step);
    auto unsubscribe = subscriber_->send_unsubscribe(subscription_);
    if (!ok(step, unsubscribe)) return false;
    if (!finish(step, unsubscribe->to_string())) return false;

    step = "AUTHOR RECEIVED UNSUBSCRIBE";
    observer_.begin(step);
    if (!ok(step, author_->receive_unsubscribe(*unsubscribe))) return false;
    const bool removed =
        !author_->state().key_store.contains(channels::Identifier(subscriber_->get_public_key()));
    if (!expect(step, removed, "the subscriber is still registered")) return false;
    if (!finish(step, describe_user(*author_))) return false;

    step = "BUCKET";
    observer_.begin(step);
    if (!finish(step, std::to_string(bucket_.message_count()) + " messages, " +
                          std::to_string(bucket_.bytes_stored()) + " bytes"))
      return false;
    return true;
  }

  Address next_link(const Address& previous) const {
    return options_.type == channels::ChannelType::kSingleDepth ? keyload_ : previous;
  }

  FlowOptions options_;
  FlowObserver& observer_;
  transports::BucketTransport bucket_;
  // The users live on the heap: on a device the stack is the scarcer memory.
  std::unique_ptr<Author> author_;
  std::unique_ptr<Subscriber> subscriber_;
  Address announcement_, subscription_, keyload_, last_;
};

}  // namespace

bool run_original_flow(const FlowOptions& options, FlowObserver& observer) {
  return std::make_unique<Flow>(options, observer)->run();
}

}  // namespace iota_streams::apps
