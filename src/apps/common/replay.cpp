#include "replay.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "iota_streams/channels/user.h"
#include "iota_streams/crypto/psk.h"
#include "iota_streams/transports/bucket.h"

namespace iota_streams::apps {

bool ReplayReport::ok() const { return failures() == 0; }

size_t ReplayReport::failures() const {
  return static_cast<size_t>(
      std::count_if(checks.begin(), checks.end(), [](const ReplayCheck& c) { return !c.ok; }));
}

namespace {

using channels::Address;
using channels::UnwrappedMessage;
using channels::User;

// What our users send goes here (recorded, not published); what they read comes from the official
// messages released so far.
class ReplayTransport : public channels::Transport {
 public:
  explicit ReplayTransport(channels::Transport& official) : official_(official) {}
  Result<void> send_message(const Address& link, ByteSpan message) override {
    sent.emplace_back(link, channels::MessageBytes(message.begin(), message.end()));
    return {};
  }
  Result<std::vector<channels::MessageBytes>> recv_messages(const Address& link) override {
    return official_.recv_messages(link);
  }
  std::vector<std::pair<Address, channels::MessageBytes>> sent;

 private:
  channels::Transport& official_;
};

struct ReplayUser {
  std::string name;
  bool author = false;
  std::unique_ptr<ReplayTransport> transport;
  std::unique_ptr<User> user;
};

// One fetched message in the file's shape: payloads hex, null fields as nullopt.
struct Fetched {
  std::string address;
  std::optional<std::string> publisher, public_payload, masked_payload;
  bool has_payload() const { return public_payload.has_value(); }
  std::string describe() const {
    return address.substr(81) + (has_payload()
                                     ? " public " + *public_payload + " masked " + *masked_payload
                                     : " (no payload)");
  }
  bool operator<(const Fetched& o) const {
    return std::tie(address, publisher, public_payload, masked_payload) <
           std::tie(o.address, o.publisher, o.public_payload, o.masked_payload);
  }
  bool operator==(const Fetched& o) const = default;
};

std::optional<std::string> json_text(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  return j.at(key).get<std::string>();
}

Fetched fetched_from_json(const nlohmann::json& j) {
  return {j.value("address", ""), json_text(j, "publisher"), json_text(j, "public"),
          json_text(j, "masked")};
}

Fetched fetched_from_message(const UnwrappedMessage& m) {
  Fetched f{m.link.to_string(), std::nullopt, std::nullopt, std::nullopt};
  if (m.kind == UnwrappedMessage::Kind::kSignedPacket ||
      m.kind == UnwrappedMessage::Kind::kTaggedPacket) {
    f.publisher = m.publisher ? to_hex(m.publisher->bytes) : "";
    f.public_payload = to_hex(m.public_payload);
    f.masked_payload = to_hex(m.masked_payload);
  }
  return f;
}

class Replayer {
 public:
  explicit Replayer(const VectorFile& file) : file_(file) {
    for (const auto& m : file.messages) pending_[m.index].push_back(&m);
  }

  ReplayReport run() {
    for (const auto& step : file_.steps) run_step(step);
    release_remaining();
    check_final_fetch();
    return std::move(report_);
  }

 private:
  void check(bool ok, std::string text) { report_.checks.push_back({ok, std::move(text)}); }

  ReplayUser* find(const std::string& name) {
    auto it = users_.find(name);
    return it == users_.end() ? nullptr : &it->second;
  }

  ReplayUser& create(const std::string& name, bool author) {
    auto& u = users_[name];
    u.name = name;
    u.author = author;
    u.transport = std::make_unique<ReplayTransport>(official_);
    return u;
  }

  // Official messages become readable when the step that wrote them has been replayed.
  void release(const Address& address) {
    auto it = pending_.find(to_hex(address.index()));
    if (it == pending_.end()) return;
    for (const StoredMessage* m : it->second) (void)official_.send_message(address, m->data);
    released_[address.to_string()] = it->second.front();
    pending_.erase(it);
  }

  void release_remaining() {
    const auto addresses = file_.addresses_by_index();
    for (auto it = pending_.begin(); it != pending_.end();) {
      auto address = addresses.find(it->first);
      if (address == addresses.end()) {
        check(false, "stored message at index " + it->first + " has an address no step names");
        it = pending_.erase(it);
        continue;
      }
      const Address a = address->second;
      ++it;
      release(a);
    }
  }

  const StoredMessage* official_at(const Address& address) {
    auto it = released_.find(address.to_string());
    return it == released_.end() ? nullptr : it->second;
  }

  void run_step(const Step& step);
  void create_user(const Step& step, bool author);
  void check_send(ReplayUser& u, const Step& step, const Result<channels::MessageLinks>& sent,
                  bool deterministic);
  void compare_and_adopt(ReplayUser& u, const Address& address, bool deterministic,
                         const std::string& what);
  bool adopt(ReplayUser& u, const Address& address);
  void check_fetch(ReplayUser& u, const std::vector<Fetched>& expected, const std::string& when);
  void check_final_fetch();

  const VectorFile& file_;
  transports::BucketTransport official_;
  std::map<std::string, ReplayUser> users_;
  std::map<std::string, std::vector<const StoredMessage*>> pending_;  // by index
  std::map<std::string, const StoredMessage*> released_;              // by address text
  ReplayReport report_;
};

std::string seed_of(const std::string& args, bool author) {
  return author ? args.substr(0, args.rfind(' ')) : args;
}

void Replayer::create_user(const Step& step, bool author) {
  auto& u = create(step.who, author);
  const std::string seed = seed_of(step.args, author);
  if (author) {
    const auto type = channels::parse_channel_type(step.args.substr(step.args.rfind(' ') + 1));
    u.user = std::make_unique<User>(seed, type.value_or(channels::ChannelType::kSingleBranch),
                                    *u.transport);
    (void)u.user->create_channel(0);
    const std::string channel = u.user->channel_address()->to_hex();
    check(type && channel == step.result,
          step.who + " from seed \"" + seed + "\": channel address " + channel);
  } else {
    u.user = std::make_unique<User>(seed, channels::ChannelType::kSingleBranch, *u.transport);
    const std::string pk = to_hex(u.user->get_public_key().bytes);
    check(pk == step.result, step.who + " from seed \"" + seed + "\": public key " + pk);
  }
}

// Sends whose bytes are random (subscribe, unsubscribe, keyload) cannot be repeated; the sender
// then takes the state of the official message, as it would hold had its randomness matched: read
// with a scratch copy of itself, or of any other user who can open it (a keyload recipient).
bool Replayer::adopt(ReplayUser& sender, const Address& address) {
  const StoredMessage* official = official_at(address);
  if (official == nullptr) return false;
  std::vector<ReplayUser*> candidates{&sender};
  for (auto& [name, u] : users_) {
    if (&u != &sender) candidates.push_back(&u);
  }
  for (ReplayUser* candidate : candidates) {
    User scratch = *candidate->user;
    channels::MessageBytes bytes = official->data;
    auto pre = message::Preparsed::parse(bytes, address, message::Strictness::kLenient);
    if (!pre.ok()) return false;
    bool read = false;
    switch (pre->content_type()) {
      case message::ContentType::kSubscribe:
        read = scratch.receive_subscribe(address).ok();
        break;
      case message::ContentType::kUnsubscribe:
        read = scratch.receive_unsubscribe(address).ok();
        break;
      case message::ContentType::kKeyload: {
        auto access = scratch.receive_keyload(address);
        read = access.ok() && *access;
        break;
      }
      case message::ContentType::kSequence:
        read = scratch.receive_sequence(address).ok();
        break;
      case message::ContentType::kSignedPacket:
        read = scratch.receive_signed_packet(address).ok();
        break;
      case message::ContentType::kTaggedPacket:
        read = scratch.receive_tagged_packet(address).ok();
        break;
      default:
        break;
    }
    sponge::Inner inner;
    if (!read || !scratch.state().link_store.lookup(address.msgid.bytes, inner)) continue;
    auto state = sender.user->state();
    state.link_store.update(address.msgid, inner, *scratch.state().link_store.info(address.msgid));
    sender.user->replace_state(std::move(state));
    return true;
  }
  return false;
}

void Replayer::compare_and_adopt(ReplayUser& u, const Address& address, bool deterministic,
                                 const std::string& what) {
  const StoredMessage* official = official_at(address);
  const channels::MessageBytes* ours = nullptr;
  for (const auto& [a, bytes] : u.transport->sent) {
    if (a == address) ours = &bytes;
  }
  if (official == nullptr || ours == nullptr) {
    check(false, what + " " + address.to_string() + ": " +
                     (official ? "we wrote nothing there" : "not in the file"));
    return;
  }
  if (*ours == official->data) {
    check(true, what + " " + address.msgid.to_hex() + " identical to the official bytes (" +
                    std::to_string(ours->size()) + " bytes)");
    return;
  }
  if (deterministic) {
    check(false, what + " " + address.msgid.to_hex() + " differs from the official bytes");
  }
  const bool adopted = adopt(u, address);
  check(adopted || !deterministic,
        what + " " + address.msgid.to_hex() + " (random content): " +
            (adopted ? "sender holds the official state" : "no user can open it"));
}

void Replayer::check_send(ReplayUser& u, const Step& step,
                          const Result<channels::MessageLinks>& sent, bool deterministic) {
  if (!sent.ok()) {
    check(false, step.who + " " + step.cmd + ": " + sent.error().message());
    return;
  }
  const auto expected = find_addresses(step.result);
  std::vector<Address> ours{sent->msg_link};
  if (sent->seq_link) ours.push_back(*sent->seq_link);
  bool same = expected.size() == ours.size();
  for (size_t i = 0; same && i < ours.size(); ++i) same = expected[i] == ours[i];
  std::string text = step.who + " " + step.cmd + " -> " + sent->msg_link.msgid.to_hex();
  if (sent->seq_link) text += " (sequence " + sent->seq_link->msgid.to_hex() + ")";
  check(same, text + (same ? "" : " but the file has " + step.result));
  if (!same) return;
  for (const auto& a : ours) release(a);
  compare_and_adopt(u, sent->msg_link, deterministic, step.who + " " + step.cmd);
  if (sent->seq_link) compare_and_adopt(u, *sent->seq_link, true, step.who + " sequence");
}

std::vector<Fetched> parse_fetch_lines(const std::string& text) {
  std::vector<Fetched> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (!line.empty()) out.push_back(fetched_from_json(nlohmann::json::parse(line)));
    start = end + 1;
  }
  return out;
}

// Payload-carrying messages must match exactly (no more, no fewer: a reader left out must not read
// masked payloads); payload-free entries of the file (keyloads) must have been seen; further
// payload-free ones (messages this user cannot open) are reported.
void Replayer::check_fetch(ReplayUser& u, const std::vector<Fetched>& expected,
                           const std::string& when) {
  std::vector<Fetched> ours;
  for (const auto& m : u.user->fetch_all_next_msgs().messages)
    ours.push_back(fetched_from_message(m));
  std::multiset<Fetched> want_payloads, got_payloads;
  std::set<std::string> seen_addresses;
  for (const auto& f : ours) {
    seen_addresses.insert(f.address);
    if (f.has_payload()) got_payloads.insert(f);
  }
  for (const auto& f : expected) {
    if (f.has_payload()) {
      want_payloads.insert(f);
      continue;
    }
    check(seen_addresses.count(f.address) > 0, u.name + " " + when + " sees " + f.describe());
  }
  for (const auto& f : want_payloads) {
    check(got_payloads.count(f) > 0, u.name + " " + when + " reads " + f.describe());
  }
  for (const auto& f : got_payloads) {
    if (!want_payloads.count(f))
      check(false, u.name + " " + when + " read a message it should not: " + f.describe());
  }
  for (const auto& f : ours) {
    const bool listed = std::any_of(expected.begin(), expected.end(),
                                    [&](const Fetched& e) { return e.address == f.address; });
    if (!f.has_payload() && !listed)
      check(true, u.name + " " + when + " also met " + f.address.substr(81) + " (no access)");
  }
}

void Replayer::check_final_fetch() {
  if (file_.fetched.is_null()) return;
  std::vector<std::pair<std::string, nlohmann::json>> readers;
  if (file_.fetched.is_object()) {
    for (auto it = file_.fetched.begin(); it != file_.fetched.end(); ++it)
      readers.emplace_back(it.key(), it.value());
  } else {
    std::vector<std::string> subscribers;
    for (const auto& [name, u] : users_) {
      if (!u.author) subscribers.push_back(name);
    }
    const std::string reader =
        subscribers.size() == 1 ? subscribers.front() : (find("sub") ? "sub" : "");
    if (reader.empty()) {
      check(false,
            "the file's fetched list names no reader and there is not exactly one subscriber");
      return;
    }
    readers.emplace_back(reader, file_.fetched);
  }
  for (const auto& [name, list] : readers) {
    ReplayUser* u = find(name);
    if (u == nullptr) {
      check(false, "fetched: unknown reader " + name);
      continue;
    }
    std::vector<Fetched> expected;
    for (const auto& entry : list) expected.push_back(fetched_from_json(entry));
    check_fetch(*u, expected, "finally");
  }
}

std::vector<uint8_t> utf8(const std::string& s) { return {s.begin(), s.end()}; }

void Replayer::run_step(const Step& step) {
  if (step.cmd == "author-create") return create_user(step, true);
  if (step.cmd == "subscriber-create") return create_user(step, false);
  ReplayUser* u = find(step.who);
  if (u == nullptr) return check(false, step.cmd + ": unknown user " + step.who);
  User& user = *u->user;
  const auto args = split_args(step.args);
  auto link = Address::parse(args.empty() ? "" : args[0]);
  const std::string label = step.who + " " + step.cmd;

  if (step.cmd == "announce") {
    auto sent = user.send_announce();
    check_send(*u, step,
               sent.ok()
                   ? Result<channels::MessageLinks>(channels::MessageLinks{*sent, std::nullopt})
                   : Result<channels::MessageLinks>(sent.error()),
               true);
  } else if (step.cmd == "receive-announce") {
    auto r = link.ok() ? user.receive_announcement(*link) : Result<void>(link.error());
    const std::string author =
        user.author_public_key() ? to_hex(user.author_public_key()->bytes) : "";
    check(r.ok() && (step.result.empty() || step.result == author || step.result == "ok"),
          label + (r.ok() ? ": author " + author : ": " + r.error().message()));
  } else if (step.cmd == "subscribe" || step.cmd == "unsubscribe") {
    if (!link.ok()) return check(false, label + ": " + link.error().message());
    auto sent = step.cmd == "subscribe" ? user.send_subscribe(*link) : user.send_unsubscribe(*link);
    check_send(*u, step,
               sent.ok()
                   ? Result<channels::MessageLinks>(channels::MessageLinks{*sent, std::nullopt})
                   : Result<channels::MessageLinks>(sent.error()),
               false);
  } else if (step.cmd == "receive-subscribe" || step.cmd == "receive-unsubscribe") {
    if (!link.ok()) return check(false, label + ": " + link.error().message());
    auto r = step.cmd == "receive-subscribe" ? user.receive_subscribe(*link)
                                             : user.receive_unsubscribe(*link);
    check(r.ok(), label + (r.ok() ? " " + link->msgid.to_hex() : ": " + r.error().message()));
  } else if (step.cmd == "store-psk") {
    const crypto::Psk psk = crypto::psk_from_seed(as_bytes(step.args));
    const crypto::PskId id = crypto::pskid_from_psk(psk);
    auto r = user.store_psk(id, psk, !u->author);
    check(r.ok() && (step.result.empty() || to_hex(id.bytes) == step.result),
          label + " -> " + to_hex(id.bytes) + (r.ok() ? "" : ": " + r.error().message()));
  } else if (step.cmd == "keyload") {
    if (!link.ok()) return check(false, label + ": " + link.error().message());
    std::vector<channels::Identifier> ids;
    for (size_t i = 1; i + 1 < args.size(); i += 2) {
      if (args[i] == "--pk") {
        if (auto pk = fixed_from_hex<32>(args[i + 1]))
          ids.emplace_back(crypto::Ed25519PublicKey{*pk});
      } else if (args[i] == "--psk") {
        if (auto id = fixed_from_hex<16>(args[i + 1])) ids.emplace_back(crypto::PskId{*id});
      }
    }
    auto sent = ids.empty() ? user.send_keyload_for_everyone(*link) : user.send_keyload(*link, ids);
    check_send(*u, step, sent, false);
  } else if (step.cmd == "signed" || step.cmd == "tagged") {
    if (!link.ok()) return check(false, label + ": " + link.error().message());
    const std::string pub = args.size() > 1 ? args[1] : "", masked = args.size() > 2 ? args[2] : "";
    auto sent = step.cmd == "signed" ? user.send_signed_packet(*link, utf8(pub), utf8(masked))
                                     : user.send_tagged_packet(*link, utf8(pub), utf8(masked));
    check_send(*u, step, sent, true);
  } else if (step.cmd == "fetch") {
    check_fetch(*u, parse_fetch_lines(step.result), "fetch");
  } else {
    check(false, label + ": this step is not supported by the replayer");
  }
}

}  // namespace

ReplayReport replay(const VectorFile& file) { return Replayer(file).run(); }

}  // namespace iota_streams::apps
