#include "explorer.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "../../channels/messages.h"  // the one description of each message, read here without keys
#include "explorer_assets.h"
#include "iota_streams/message/message.h"

namespace iota_streams::node::explorer {
namespace {

namespace chrysalis = transports::chrysalis;
using json = nlohmann::json;
using message::Address;
using message::ChannelAddress;
using message::ContentType;
using message::Identifier;
using message::MsgId;

// Field by field: the server's Reply may carry more fields than these.
Reply reply(int status, std::string content_type, std::string body) {
  Reply out;
  out.status = status;
  out.content_type = std::move(content_type);
  out.body = std::move(body);
  return out;
}

Reply ok(json body) { return reply(200, "application/json", body.dump()); }
// The node API's error shape: {"error": {"code": "404", "message": "..."}}.
Reply fail(int status, std::string_view reason) {
  return reply(
      status, "application/json",
      json{{"error", {{"code", std::to_string(status)}, {"message", std::string(reason)}}}}.dump());
}

// A bounded count from the query: `fallback` when absent, at most `cap`; nullopt when not a number.
std::optional<size_t> count_param(const Request& request, std::string_view name, size_t fallback,
                                  size_t cap) {
  const auto text = request.param(name);
  if (!text) return std::min(fallback, cap);
  if (text->empty() || text->size() > 9 ||
      text->find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::min<size_t>(std::stoul(*text), cap);
}

template <size_t N>
bool parse_hex(std::string_view text, Bytes<N>& out) {
  return text.size() == 2 * N && from_hex(text, out);
}

std::string identifier_kind(const Identifier& id) { return id.is_psk() ? "psk-id" : "ed25519"; }

// The address a message's header says it was written at: gen_msgid(sender, previous msgid, 0, seq)
// in the previous link's channel (zeros and the sender's own channel for an announce), as
// every 1.2.0 writer derives it (user.rs prepare_*, wrap_sequence). None when the header cannot
// name one.
std::optional<Address> claimed_address(const message::Header& header) {
  Address address;
  if (header.content_type == static_cast<uint8_t>(ContentType::kAnnounce)) {
    if (!header.previous_link.empty() || header.sender.is_psk() || header.seq_num != 0)
      return std::nullopt;
    address.channel = message::make_channel_address(header.sender.public_key());
    address.msgid = message::gen_msgid(address.channel, header.sender.bytes(), MsgId{}, 0, 0);
    return address;
  }
  auto previous = Address::from_bytes(header.previous_link);
  if (!previous.ok() || header.seq_num > UINT32_MAX) return std::nullopt;
  address.channel = previous->channel;
  address.msgid = message::gen_msgid(address.channel, header.sender.bytes(), previous->msgid, 0,
                                     static_cast<uint32_t>(header.seq_num));
  return address;
}

// A Chrysalis message as the explorer shows it: its indexation payload and, when the data is a
// Streams message, its public header (read without any key) and the address it claims, checked
// against the index.
struct Decoded {
  std::string error;  // why it is not a Streams message (empty when it is one)
  chrysalis::MessageView view;
  std::vector<uint8_t> data;  // a copy: reading a header decrypts the identifier in place
  bool streams = false;
  message::Header header;
  std::vector<uint8_t> previous_link;  // header.previous_link points here
  std::optional<Address> address;
  bool address_matches_index = false;
};

Decoded decode(const std::vector<uint8_t>& raw, const std::optional<Address>& at = std::nullopt) {
  Decoded out;
  auto view = chrysalis::parse_message(raw);
  if (!view.ok()) {
    out.error = "not a Chrysalis message: " + view.error().message();
    return out;
  }
  out.view = *view;
  if (!view->has_payload || view->payload_type != chrysalis::kIndexationPayloadType) {
    out.error = "no indexation payload";
    return out;
  }
  out.data.assign(view->data.begin(), view->data.end());
  // The header reads the same whatever address is absorbed; the content needs the real one.
  auto pre =
      message::Preparsed::parse(out.data, at.value_or(Address{}), message::Strictness::kLenient);
  if (!pre.ok()) {
    out.error = "not a Streams message: " + pre.error().message();
    return out;
  }
  out.streams = true;
  out.header = pre->header();
  out.previous_link.assign(out.header.previous_link.begin(), out.header.previous_link.end());
  out.header.previous_link = out.previous_link;
  out.address = claimed_address(out.header);
  out.address_matches_index =
      out.address && view->index.size() == message::kIndexSize &&
      std::equal(view->index.begin(), view->index.end(), out.address->index().begin());
  return out;
}

json header_json(const Decoded& d) {
  if (!d.streams) return nullptr;
  const auto& h = d.header;
  json out{{"type", std::string(message::content_type_name(h.content_type))},
           {"content_type", h.content_type},
           {"publisher", h.sender.to_hex()},
           {"publisher_kind", identifier_kind(h.sender)},
           {"seq", std::to_string(h.seq_num)},
           {"payload_length", h.payload_length}};
  auto previous = Address::from_bytes(h.previous_link);
  out["linked"] = previous.ok() ? json(previous->to_string()) : json(nullptr);
  if (d.address) {
    out["channel"] = d.address->channel.to_hex();
    out["address"] = d.address->to_string();
    out["address_matches_index"] = d.address_matches_index;
  } else {
    out["channel"] = previous.ok() ? json(previous->channel.to_hex()) : json(nullptr);
    out["address"] = nullptr;
    out["address_matches_index"] = false;
  }
  return out;
}

json message_json(const chrysalis::MessageId& id, const std::vector<uint8_t>& raw, bool full) {
  const Decoded d = decode(raw);
  json out{{"id", to_hex(id)}, {"size", raw.size()}, {"streams", header_json(d)}};
  if (!d.error.empty()) out["note"] = d.error;
  if (d.view.has_payload && d.view.payload_type == chrysalis::kIndexationPayloadType) {
    out["index"] = to_hex(d.view.index);
    out["data_size"] = d.view.data.size();
  }
  if (full) {
    json parents = json::array();
    for (size_t i = 0; i < d.view.parent_count; ++i) parents.push_back(to_hex(d.view.parents[i]));
    out["parents"] = parents;
    out["network_id"] = std::to_string(d.view.network_id);
    out["nonce"] = std::to_string(d.view.nonce);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Walking a channel from its announce, with public data only.
//
// Readers compute where the next messages are (C-channels §2): gen_msgid(publisher, linked msgid,
// 0, seq). Publishers are known from the announce (the author), from keyload recipient lists masked
// under a public state (a keyload linked to the announce or to a sequence message), and from
// sequence messages. Multi-branch: each publisher's chain of sequence messages starts at
// gen_msgid(p, announce, 0, 1), each joined to the previous (so all public), and each names the
// message it sequences. Single-branch: after a message at seq s every publisher's next message is
// gen_msgid(p, that msgid, 0, s + 1). Single-depth: the author's messages after a keyload are
// gen_msgid(author, keyload, 0, s + 1), s + 2, ... Subscriptions are gen_msgid(p, announce, 0, 0)
// for every known p.

enum class Role : uint8_t {
  kFromAnnounce = 0,  // subscribe, first sequence, or first message linked to the announce
  kNext = 1,          // single-branch successor, single-depth sibling
  kNextSequence = 2,  // a publisher's next sequence message
  kSequenced = 3,     // the message a sequence names (missing if absent)
};

struct Probe {
  MsgId msgid;
  uint8_t publisher = 0;  // index into the known publishers
  Role role = Role::kFromAnnounce;
  MsgId parent;                         // the sequence, for kSequenced
  std::optional<sponge::Inner> joined;  // public state of the previous sequence, for kNextSequence
};

struct Walk {
  ChannelAddress channel;
  MsgId announce;
  uint8_t flags = 0;
  std::vector<Identifier> publishers;
  std::deque<Probe> queue;
  std::set<MsgId> seen;  // probed on this page
  std::map<MsgId, sponge::Inner> public_states;
  json nodes = json::array();
  json edges = json::array();
  size_t lookups = 0;
  size_t dropped_probes = 0;
  size_t dropped_publishers = 0;
};

// --- the cursor: the walk's pending probes and its publishers, as hex bytes
// --------------------------

void put(std::vector<uint8_t>& out, ByteSpan bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

std::string encode_cursor(const Walk& walk, const Limits& limits, size_t& dropped) {
  std::vector<uint8_t> out{1};
  const size_t ids = std::min(walk.publishers.size(), limits.cursor_ids);
  out.push_back(static_cast<uint8_t>(ids));
  for (size_t i = 0; i < ids; ++i) {
    out.push_back(static_cast<uint8_t>(walk.publishers[i].kind()));
    put(out, walk.publishers[i].bytes());
  }
  std::vector<const Probe*> kept;
  for (const auto& probe : walk.queue) {
    if (probe.publisher < ids && kept.size() < limits.cursor_probes) {
      kept.push_back(&probe);
    } else {
      ++dropped;
    }
  }
  out.push_back(static_cast<uint8_t>(kept.size()));
  for (const Probe* p : kept) {
    put(out, p->msgid.bytes);
    out.push_back(p->publisher);
    out.push_back(static_cast<uint8_t>(p->role));
    put(out, p->parent.bytes);
    out.push_back(p->joined ? 1 : 0);
    if (p->joined) put(out, p->joined->view());  // a public state: no secret in a cursor
  }
  return to_hex(out);
}

class Reader {
 public:
  explicit Reader(ByteSpan bytes) : bytes_(bytes) {}
  bool take(MutableByteSpan out) {
    if (bytes_.size() - pos_ < out.size()) return false;
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_), out.size(), out.begin());
    pos_ += out.size();
    return true;
  }
  bool byte(uint8_t& v) { return take(MutableByteSpan(&v, 1)); }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  ByteSpan bytes_;
  size_t pos_ = 0;
};

bool decode_cursor(std::string_view text, const Limits& limits, Walk& walk) {
  const auto bytes = from_hex(text);
  if (!bytes) return false;
  Reader in(*bytes);
  uint8_t version = 0, ids = 0, probes = 0;
  if (!in.byte(version) || version != 1 || !in.byte(ids) || ids > limits.cursor_ids) return false;
  for (uint8_t i = 0; i < ids; ++i) {
    uint8_t kind = 0;
    if (!in.byte(kind) || kind > 1) return false;
    if (kind == 1) {
      crypto::PskId id;
      if (!in.take(id.bytes)) return false;
      walk.publishers.emplace_back(id);
    } else {
      crypto::Ed25519PublicKey key;
      if (!in.take(key.bytes)) return false;
      walk.publishers.emplace_back(key);
    }
  }
  if (!in.byte(probes) || probes > limits.cursor_probes) return false;
  for (uint8_t i = 0; i < probes; ++i) {
    Probe p;
    uint8_t role = 0, joined = 0;
    if (!in.take(p.msgid.bytes) || !in.byte(p.publisher) || p.publisher >= ids || !in.byte(role) ||
        role > 3 || !in.take(p.parent.bytes) || !in.byte(joined) || joined > 1) {
      return false;
    }
    p.role = static_cast<Role>(role);
    if (joined) {
      p.joined.emplace();
      if (!in.take(p.joined->view())) return false;
    }
    walk.queue.push_back(p);
  }
  return in.done();
}

// --- reading what is at one address
// ---------------------------------------------------------------

struct Found {
  std::string status;  // "ok", "refused" (not unique, or a bad announce signature), "unreadable"
                       // (only messages that are not this address's), "" (nothing there)
  size_t candidates = 0;
  bool more = false;  // more candidates than were read
  size_t others = 0;  // candidates that are not a Streams message of this address
  std::string chrysalis_id;
  Decoded message;
};

Result<Found> read_address(transports::MessageStorage& storage, const Address& address,
                           const Limits& limits) {
  const auto index = address.index();
  STREAMS_ASSIGN_OR_RETURN(auto ids,
                           storage.ids_by_index(index, limits.candidates_per_address + 1));
  Found found;
  found.more = ids.size() > limits.candidates_per_address;
  if (found.more) ids.resize(limits.candidates_per_address);
  found.candidates = ids.size();
  size_t valid = 0;
  for (const auto& id : ids) {
    STREAMS_ASSIGN_OR_RETURN(auto raw, storage.get(id));
    if (!raw) continue;
    Decoded d = decode(*raw, address);
    if (d.streams && d.address && *d.address == address && d.address_matches_index) {
      if (++valid == 1) {
        found.message = std::move(d);
        found.chrysalis_id = to_hex(id);
      }
    } else {
      ++found.others;
    }
  }
  found.status = valid > 1 ? "refused" : valid == 1 ? "ok" : ids.empty() ? "" : "unreadable";
  return found;
}

// Unwraps a content joined to `joined` (a public state): the public inner state after it, if it
// reads.
template <class Content>
std::optional<sponge::Inner> unwrap_public(Decoded& d, const Address& at, Content& content) {
  auto pre = message::Preparsed::parse(d.data, at, message::Strictness::kLenient);
  if (!pre.ok()) return std::nullopt;
  sponge::Inner inner;
  if (!pre->unwrap_content(content, inner).ok()) return std::nullopt;
  return inner;
}

class ChannelWalker {
 public:
  ChannelWalker(transports::MessageStorage& storage, const Limits& limits, size_t max_nodes,
                Walk& walk)
      : storage_(storage), limits_(limits), max_nodes_(max_nodes), walk_(walk) {}

  // The announce: read and verified on every page (its public state starts every sequence chain).
  Result<Found> start() {
    const Address at{walk_.channel, walk_.announce};
    ++walk_.lookups;
    STREAMS_ASSIGN_OR_RETURN(Found found, read_address(storage_, at, limits_));
    if (found.status != "ok") return found;
    if (found.message.header.content_type != static_cast<uint8_t>(ContentType::kAnnounce)) {
      found.status = "unreadable";
      return found;
    }
    channels::messages::Announce content;
    const auto inner = unwrap_public(found.message, at, content);
    if (!inner || Identifier(content.author) != found.message.header.sender) {
      found.status = "refused";  // a bad signature: no reader accepts it
      return found;
    }
    walk_.flags = content.flags;
    walk_.public_states[walk_.announce] = *inner;
    if (walk_.publishers.empty()) learn(Identifier(content.author));
    return found;
  }

  void add_announce_node(const Found& found) { add_node(walk_.announce, found, nullptr); }

  Result<void> run() {
    while (!walk_.queue.empty() && walk_.nodes.size() < max_nodes_ &&
           walk_.lookups < limits_.graph_lookups) {
      Probe probe = walk_.queue.front();
      walk_.queue.pop_front();
      if (!walk_.seen.insert(probe.msgid).second) continue;
      STREAMS_TRY(visit(probe));
    }
    return {};
  }

 private:
  bool multi_branch() const { return (walk_.flags & 1) != 0; }
  bool single_depth() const { return walk_.flags == 2; }

  MsgId next_id(size_t publisher, const MsgId& link, uint32_t seq) const {
    return message::gen_msgid(walk_.channel, walk_.publishers[publisher].bytes(), link, 0, seq);
  }

  void enqueue(Probe probe) {
    if (walk_.seen.count(probe.msgid) == 0) walk_.queue.push_back(probe);
  }

  // A publisher seen for the first time: its subscription and its first message or sequence.
  void learn(const Identifier& id) {
    for (const auto& known : walk_.publishers) {
      if (known == id) return;
    }
    if (walk_.publishers.size() >= limits_.cursor_ids) {
      ++walk_.dropped_publishers;
      return;
    }
    walk_.publishers.push_back(id);
    const auto p = static_cast<uint8_t>(walk_.publishers.size() - 1);
    enqueue({next_id(p, walk_.announce, 0), p, Role::kFromAnnounce, {}, {}});
    if (multi_branch()) {
      enqueue({next_id(p, walk_.announce, 1),
               p,
               Role::kNextSequence,
               {},
               walk_.public_states[walk_.announce]});
    } else if (!single_depth() || p == 0) {
      enqueue({next_id(p, walk_.announce, 2), p, Role::kFromAnnounce, {}, {}});
    }
  }

  json& add_node(const MsgId& msgid, const Found& found, const Probe* probe) {
    json node{{"msgid", msgid.to_hex()},
              {"address", Address{walk_.channel, msgid}.to_string()},
              {"status", found.status.empty() ? "missing" : found.status},
              {"candidates", found.candidates},
              {"more_candidates", found.more},
              {"others", found.others}};
    if (!found.chrysalis_id.empty()) {
      const auto& h = found.message.header;
      node["message_id"] = found.chrysalis_id;
      node["type"] = std::string(message::content_type_name(h.content_type));
      node["publisher"] = h.sender.to_hex();
      node["publisher_kind"] = identifier_kind(h.sender);
      node["seq"] = std::to_string(h.seq_num);
      auto previous = Address::from_bytes(h.previous_link);
      if (previous.ok()) {
        node["linked"] = previous->msgid.to_hex();
        walk_.edges.push_back(
            {{"from", msgid.to_hex()}, {"to", previous->msgid.to_hex()}, {"kind", "link"}});
      }
    } else if (probe) {
      node["publisher"] = walk_.publishers[probe->publisher].to_hex();
    }
    if (probe && probe->role == Role::kSequenced) {
      walk_.edges.push_back(
          {{"from", probe->parent.to_hex()}, {"to", msgid.to_hex()}, {"kind", "sequence"}});
    }
    walk_.nodes.push_back(std::move(node));
    return walk_.nodes.back();
  }

  Result<void> visit(const Probe& probe) {
    const Address at{walk_.channel, probe.msgid};
    ++walk_.lookups;
    STREAMS_ASSIGN_OR_RETURN(Found found, read_address(storage_, at, limits_));
    if (found.status.empty()) {
      if (probe.role == Role::kSequenced)
        add_node(probe.msgid, found, &probe);  // named but not held
      return {};
    }
    json& node = add_node(probe.msgid, found, &probe);
    if (found.status != "ok") return {};  // refused or unreadable: nothing after it is trusted
    const auto type = static_cast<ContentType>(found.message.header.content_type);
    const auto seq = found.message.header.seq_num;
    switch (type) {
      case ContentType::kSequence:
        return follow_sequence(probe, at, found, node);
      case ContentType::kKeyload:
        read_recipients(at, found, node);
        [[fallthrough]];
      case ContentType::kSignedPacket:
      case ContentType::kTaggedPacket:
        if (!multi_branch() && seq < UINT32_MAX) follow_single_branch(probe, found, seq);
        return {};
      default:
        return {};
    }
  }

  // Multi-branch: the sequence's public state continues the chain; it names the sequenced message.
  Result<void> follow_sequence(const Probe& probe, const Address& at, Found& found, json& node) {
    if (!probe.joined) return {};
    channels::LinkStore joined;
    joined.update(found.message.header.previous_link.size() == message::kAddressSize
                      ? Address::from_bytes(found.message.header.previous_link)->msgid
                      : MsgId{},
                  *probe.joined, channels::MsgInfo::kSequence);
    channels::messages::Sequence content;
    content.store = &joined;
    const auto inner = unwrap_public(found.message, at, content);
    if (!inner) {
      node["status"] = "unreadable";
      return {};
    }
    walk_.public_states[probe.msgid] = *inner;
    learn(content.publisher);
    size_t publisher = probe.publisher;
    for (size_t i = 0; i < walk_.publishers.size(); ++i) {
      if (walk_.publishers[i] == content.publisher) publisher = i;
    }
    node["ref_link"] = content.ref_link.to_hex();
    const auto p = static_cast<uint8_t>(probe.publisher);
    enqueue({next_id(p, probe.msgid, 1), p, Role::kNextSequence, {}, *inner});
    if (content.seq_num <= UINT32_MAX && publisher < walk_.publishers.size()) {
      const auto target =
          message::gen_msgid(walk_.channel, walk_.publishers[publisher].bytes(), content.ref_link,
                             0, static_cast<uint32_t>(content.seq_num));
      node["sequences"] = target.to_hex();
      walk_.queue.push_front(
          {target, static_cast<uint8_t>(publisher), Role::kSequenced, probe.msgid, {}});
    }
    return {};
  }

  // A keyload linked to a public state lists its recipients in a form anyone can unmask (they are
  // not authenticated for a reader without the key; the explorer uses them only to look further).
  void read_recipients(const Address& at, Found& found, json& node) {
    auto previous = Address::from_bytes(found.message.header.previous_link);
    if (!previous.ok()) return;
    const auto state = walk_.public_states.find(previous->msgid);
    if (state == walk_.public_states.end()) return;
    channels::LinkStore joined;
    joined.update(previous->msgid, state->second, channels::MsgInfo::kAnnounce);
    channels::KeyStore none;
    channels::messages::Keyload content;
    content.store = &joined;
    content.own_psks = &none;
    content.author = &found.message.header.sender.public_key();
    (void)unwrap_public(found.message, at, content);
    json recipients = json::array();
    for (const auto& id : content.recipient_ids) {
      recipients.push_back({{"id", id.to_hex()}, {"kind", identifier_kind(id)}});
      learn(id);
    }
    node["recipients"] = recipients;
  }

  void follow_single_branch(const Probe& probe, const Found& found, uint64_t seq) {
    const auto next = static_cast<uint32_t>(seq + 1);
    if (single_depth()) {
      auto previous = Address::from_bytes(found.message.header.previous_link);
      enqueue({next_id(0, probe.msgid, next), 0, Role::kNext, {}, {}});
      if (previous.ok()) enqueue({next_id(0, previous->msgid, next), 0, Role::kNext, {}, {}});
      return;
    }
    for (size_t p = 0; p < walk_.publishers.size(); ++p) {
      enqueue({next_id(p, probe.msgid, next), static_cast<uint8_t>(p), Role::kNext, {}, {}});
    }
  }

  transports::MessageStorage& storage_;
  const Limits& limits_;
  size_t max_nodes_;
  Walk& walk_;
};

std::string_view channel_type_text(uint8_t flags) {
  return flags == 0    ? "single-branch"
         : flags == 2  ? "single-depth"
         : (flags & 1) ? "multi-branch"
                       : "unknown";
}

}  // namespace

Reply Explorer::page(std::string_view path) const {
  std::string_view file = path.substr(std::min(path.size(), std::string_view("/explorer").size()));
  if (file.empty() || file == "/") file = "/index.html";
  for (const auto& asset : assets()) {
    if (file.substr(1) == asset.name) {
      Reply out = reply(200, std::string(asset.content_type), std::string(asset.body));
      // The page loads only its own files and talks only to this node.
      out.headers = {
          {"Content-Security-Policy",
           "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
          {"X-Content-Type-Options", "nosniff"}};
      return out;
    }
  }
  return fail(404, "no explorer file " + std::string(path));
}

Reply Explorer::api(const Request& request) {
  constexpr std::string_view prefix = "/api/explorer/";
  if (request.path.substr(0, prefix.size()) != prefix) return fail(404, "not an explorer route");
  // A Streams address's ':' may come percent-encoded; no other escape is meaningful in these
  // routes.
  std::string decoded(request.path.substr(prefix.size()));
  for (size_t at = decoded.find('%'); at != std::string::npos; at = decoded.find('%', at + 1)) {
    if (decoded.compare(at, 3, "%3A") == 0 || decoded.compare(at, 3, "%3a") == 0)
      decoded.replace(at, 3, ":");
  }
  const std::string_view route = decoded;
  const auto tail = [&](std::string_view name) -> std::optional<std::string_view> {
    if (route.substr(0, name.size()) != name) return std::nullopt;
    return route.substr(name.size());
  };
  try {
    if (route == "recent") return recent(request);
    if (route == "stats") return stats();
    if (auto id = tail("message/")) return message(*id);
    if (auto index_hex = tail("index/")) return index(*index_hex, request);
    if (auto text = tail("address/")) return address(*text, request);
    if (auto channel_hex = tail("channel/")) return channel(*channel_hex, request);
    if (auto text = tail("lookup/")) return lookup(*text, request);
  } catch (const std::exception& e) {  // JSON or allocation failures at this tool's edge
    return fail(500, std::string("explorer: ") + e.what());
  }
  return fail(404, "no explorer route " + std::string(request.path));
}

Reply Explorer::recent(const Request& request) {
  const auto limit = count_param(request, "limit", 25, limits_.recent_page);
  if (!limit || *limit == 0)
    return fail(400, "limit must be a number from 1 to " + std::to_string(limits_.recent_page));
  std::optional<uint64_t> before;
  if (const auto text = request.param("before")) {
    if (text->empty() || text->size() > 19 ||
        text->find_first_not_of("0123456789") != std::string::npos) {
      return fail(400, "before must be an arrival number, not '" + *text + "'");
    }
    before = std::stoull(*text);
  }
  auto arrived = storage_.recent(*limit, before);
  if (!arrived.ok()) return fail(500, arrived.error().message());
  json messages = json::array();
  for (const auto& a : *arrived) {
    auto raw = storage_.get(a.id);
    if (!raw.ok()) return fail(500, raw.error().message());
    json m = *raw ? message_json(a.id, **raw, false) : json{{"id", to_hex(a.id)}};
    m["seq"] = a.seq;
    m["arrived_ms"] = a.arrived_unix_ms;
    messages.push_back(std::move(m));
  }
  json next = arrived->size() == *limit && arrived->back().seq > 0
                  ? json(std::to_string(arrived->back().seq))
                  : json(nullptr);
  return ok({{"messages", messages}, {"next", next}});
}

Reply Explorer::stats() {
  auto count = storage_.count();
  if (!count.ok()) return fail(500, count.error().message());
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return ok({{"stored", *count}, {"now_ms", now.count()}});
}

Reply Explorer::message(std::string_view id_hex) {
  chrysalis::MessageId id;
  if (!parse_hex(id_hex, id))
    return fail(400, "a message id is 64 hex digits, not '" + std::string(id_hex) + "'");
  auto raw = storage_.get(id);
  if (!raw.ok()) return fail(500, raw.error().message());
  if (!*raw) return fail(404, "no message " + std::string(id_hex) + " on this node");
  return ok(message_json(id, **raw, true));
}

// Candidates at an index, oldest first, a page at a time (`after` = how many were already shown).
Reply Explorer::index(std::string_view index_hex, const Request& request) {
  Bytes<message::kIndexSize> index;
  if (!parse_hex(index_hex, index))
    return fail(400, "an index is 64 hex digits, not '" + std::string(index_hex) + "'");
  const auto limit = count_param(request, "limit", limits_.index_page, limits_.index_page);
  const auto after = count_param(request, "after", 0, limits_.index_window);
  if (!limit || !after || *limit == 0) return fail(400, "limit and after must be numbers");
  const size_t window = std::min(*after + *limit + 1, limits_.index_window + 1);
  auto ids = storage_.ids_by_index(index, window);
  if (!ids.ok()) return fail(500, ids.error().message());
  json messages = json::array();
  const size_t end = std::min({ids->size(), *after + *limit, limits_.index_window});
  for (size_t i = *after; i < end; ++i) {
    auto raw = storage_.get((*ids)[i]);
    if (!raw.ok()) return fail(500, raw.error().message());
    if (*raw) messages.push_back(message_json((*ids)[i], **raw, false));
  }
  const bool more = ids->size() > end;
  const bool capped = more && end >= limits_.index_window;
  return ok({{"index", to_hex(index)},
             {"messages", messages},
             {"after", *after},
             {"next", more && !capped ? json(std::to_string(end)) : json(nullptr)},
             {"capped", capped},
             {"window", limits_.index_window}});
}

// A Streams address: its index, the candidates there, and which of them are a message of this
// address (a reader refuses the address when more than one is).
Reply Explorer::address(std::string_view text, const Request& request) {
  auto parsed = Address::parse(text);
  if (!parsed.ok()) return fail(400, "not a Streams address: " + parsed.error().message());
  Reply listing = index(to_hex(parsed->index()), request);
  if (listing.status != 200) return listing;
  json out = json::parse(listing.body);
  size_t valid = 0;
  for (auto& m : out["messages"]) {
    const bool here = m["streams"].is_object() && m["streams"]["address"] == parsed->to_string() &&
                      m["streams"]["address_matches_index"] == true;
    m["of_this_address"] = here;
    valid += here ? 1 : 0;
  }
  out["address"] = parsed->to_string();
  out["channel"] = parsed->channel.to_hex();
  out["valid_on_page"] = valid;
  return ok(out);
}

Reply Explorer::channel(std::string_view channel_hex, const Request& request) {
  Walk walk;
  if (!parse_hex(channel_hex, walk.channel.bytes)) {
    return fail(400, "a channel address is 80 hex digits, not '" + std::string(channel_hex) + "'");
  }
  const auto limit = count_param(request, "limit", 200, limits_.graph_nodes);
  if (!limit || *limit == 0)
    return fail(400, "limit must be a number from 1 to " + std::to_string(limits_.graph_nodes));
  const auto author = message::channel_author(walk.channel);
  walk.announce = message::gen_msgid(walk.channel, author.bytes, MsgId{}, 0, 0);
  const auto cursor = request.param("cursor");
  if (cursor && !decode_cursor(*cursor, limits_, walk)) return fail(400, "malformed cursor");

  ChannelWalker walker(storage_, limits_, *limit, walk);
  auto announce = walker.start();
  if (!announce.ok()) return fail(500, announce.error().message());
  const Address announce_address{walk.channel, walk.announce};
  if (announce->status.empty()) {
    return fail(404, "no announce of channel " + std::string(channel_hex) +
                         " on this node (looked at " + announce_address.to_string() + ")");
  }
  if (!cursor) walker.add_announce_node(*announce);
  if (announce->status == "ok") {
    auto walked = walker.run();
    if (!walked.ok()) return fail(500, walked.error().message());
  }
  json publishers = json::array();
  for (const auto& id : walk.publishers)
    publishers.push_back({{"id", id.to_hex()}, {"kind", identifier_kind(id)}});
  size_t dropped = walk.dropped_probes;
  const bool more = !walk.queue.empty();
  const json next = more ? json(encode_cursor(walk, limits_, dropped)) : json(nullptr);
  return ok({{"channel", walk.channel.to_hex()},
             {"announce", announce_address.to_string()},
             {"announce_status", announce->status},
             {"channel_type", channel_type_text(walk.flags)},
             {"publishers", publishers},
             {"nodes", walk.nodes},
             {"edges", walk.edges},
             {"next", next},
             {"lookups", walk.lookups},
             {"dropped_probes", dropped},
             {"dropped_publishers", walk.dropped_publishers},
             {"limits",
              {{"nodes", *limit},
               {"lookups", limits_.graph_lookups},
               {"candidates_per_address", limits_.candidates_per_address}}}});
}

Reply Explorer::lookup(std::string_view text, const Request& request) {
  const auto tagged = [](std::string_view kind, Reply reply) {
    if (reply.status != 200) return reply;
    reply.body = json{{"kind", kind}, {"result", json::parse(reply.body)}}.dump();
    return reply;
  };
  if (text.find(':') != std::string_view::npos) return tagged("address", address(text, request));
  if (text.size() == 2 * message::kChannelAddressSize)
    return tagged("channel", channel(text, request));
  if (text.size() == 2 * chrysalis::kMessageIdSize) {
    chrysalis::MessageId id;
    if (!parse_hex(text, id)) return fail(400, "not hex: '" + std::string(text) + "'");
    auto raw = storage_.get(id);
    if (!raw.ok()) return fail(500, raw.error().message());
    if (*raw) return tagged("message", ok(message_json(id, **raw, true)));
    return tagged("index", index(text, request));
  }
  return fail(400,
              "give a message id or an index (64 hex digits), a Streams address (channel:msgid) or "
              "a channel "
              "address (80 hex digits)");
}

}  // namespace iota_streams::node::explorer
