// The Python module iota_streams._iota_streams (pybind11): Author and Subscriber with the official
// method names, the bucket, store and node transports, state export/import.
//
// - Errors: a failed Result becomes StreamsError carrying the library's reason; the user is
// unchanged.
// - The GIL is released around every call that does crypto or I/O; each user and each transport has
//   a mutex, taken (user first, then its transport) while the GIL is released, so Python threads
//   may share them safely.
// - The library has no RTTI, so no polymorphic library class is handed to pybind11 (whose type
// lookup
//   reads RTTI): Python sees only the wrappers below, and results as plain Python values
//   (_types.py).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/state.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"
#include "iota_streams/transports/curl_http.h"
#include "iota_streams/transports/node.h"
#include "iota_streams/transports/store.h"

namespace py = pybind11;
namespace ch = iota_streams::channels;
namespace tr = iota_streams::transports;
using iota_streams::ByteSpan;
using iota_streams::Result;

namespace {

// The Python exception for every library failure (its args[0] is the library's reason).
struct StreamsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class T>
T unwrap(Result<T>&& result) {
  if (!result) throw StreamsError(result.error().message());
  return std::move(result).value();
}
void unwrap(Result<void>&& result) {
  if (!result) throw StreamsError(result.error().message());
}

// Runs `call` without the GIL, holding the locks.
template <class F>
auto without_gil(std::mutex& user, std::mutex& transport, F&& call) {
  py::gil_scoped_release nogil;
  std::scoped_lock lock(user, transport);
  return call();
}

// ---- conversions between library values and the plain Python values of iota_streams._types

py::object types() { return py::module_::import("iota_streams._types"); }

ch::Address to_address(const py::handle& value) {
  auto parsed = ch::Address::parse(py::str(value).cast<std::string>());
  if (!parsed) throw py::value_error(parsed.error().message());
  return *parsed;
}

py::object from_address(const ch::Address& address) {
  const std::string text = address.to_string();
  const size_t colon = text.find(':');
  return types().attr("Address")(text.substr(0, colon), text.substr(colon + 1));
}

py::object from_optional_address(const std::optional<ch::Address>& address) {
  return address ? from_address(*address) : py::none();
}

py::bytes to_bytes(const std::vector<uint8_t>& data) {
  return py::bytes(reinterpret_cast<const char*>(data.data()), data.size());
}

iota_streams::crypto::Ed25519PublicKey to_public_key(const std::string& hex) {
  auto bytes = iota_streams::fixed_from_hex<iota_streams::crypto::kEd25519PublicKeySize>(hex);
  if (!bytes) throw py::value_error("a public key is 64 hex digits, not '" + hex + "'");
  return {*bytes};
}

iota_streams::crypto::PskId to_psk_id(const std::string& hex) {
  auto bytes = iota_streams::fixed_from_hex<iota_streams::crypto::kPskIdSize>(hex);
  if (!bytes) throw py::value_error("a PSK id is 32 hex digits, not '" + hex + "'");
  return {*bytes};
}

std::vector<ch::Identifier> to_recipients(const std::vector<std::string>& psk_ids,
                                          const std::vector<std::string>& public_keys) {
  std::vector<ch::Identifier> recipients;
  for (const auto& id : psk_ids) recipients.emplace_back(to_psk_id(id));
  for (const auto& key : public_keys) recipients.emplace_back(to_public_key(key));
  return recipients;
}

ch::ChannelType to_channel_type(const py::handle& value) {
  const std::string text = py::str(value).cast<std::string>();
  auto type = ch::parse_channel_type(text);
  if (!type)
    throw py::value_error("channel type: single-branch, multi-branch or single-depth, not '" +
                          text + "'");
  return *type;
}

ch::StateFormat to_format(const std::string& format) {
  if (format == "native") return ch::StateFormat::kNative;
  if (format == "official") return ch::StateFormat::kOfficial;
  throw py::value_error("state format: native or official, not '" + format + "'");
}

py::object from_links(const ch::MessageLinks& links) {
  return types().attr("MessageLinks")(from_address(links.msg_link),
                                      from_optional_address(links.seq_link));
}

// A template so that `forked` is read where the library has it (several valid messages at the
// address: a sender that forked its state).
template <class Message = ch::UnwrappedMessage>
py::object from_message(const Message& message) {
  bool forked = false;
  if constexpr (requires { message.forked; }) forked = message.forked;
  return types().attr("UnwrappedMessage")(
      py::arg("link") = from_address(message.link),
      py::arg("kind") = std::string(ch::kind_name(message.kind)),
      py::arg("prev_link") = from_optional_address(message.prev_link),
      py::arg("publisher") =
          message.publisher ? py::object(py::str(iota_streams::to_hex(message.publisher->bytes)))
                            : py::object(py::none()),
      py::arg("public_payload") = to_bytes(message.public_payload),
      py::arg("masked_payload") = to_bytes(message.masked_payload),
      py::arg("has_access") = message.has_access, py::arg("forked") = forked);
}

py::list from_messages(const std::vector<ch::UnwrappedMessage>& messages) {
  py::list out;
  for (const auto& message : messages) out.append(from_message(message));
  return out;
}

// What a fetch returns: a FetchResult (a list of the messages read, with `refused` and
// `transport_error`). A transport that failed before anything was read raises StreamsError; one
// that failed after some messages returns them (the cursors moved past them) with its reason in
// `transport_error`, and the next fetch meets it again.
py::object from_fetched(const ch::FetchResult& fetched) {
  if (fetched.transport_error && fetched.messages.empty())
    throw StreamsError(fetched.transport_error->message());
  py::list refused;
  for (const ch::Refusal& refusal : fetched.refused) {
    const bool whole = refusal.candidate == ch::Refusal::kWholeAddress;
    refused.append(types().attr("Refusal")(
        from_address(refusal.link), whole ? py::object(py::none()) : py::int_(refusal.candidate),
        refusal.reason.message()));
  }
  return types().attr("FetchResult")(from_messages(fetched.messages), refused,
                                     fetched.transport_error
                                         ? py::object(py::str(fetched.transport_error->message()))
                                         : py::object(py::none()));
}

py::list from_cursors(const std::vector<ch::IdentityCursor>& cursors) {
  py::list out;
  for (const auto& cursor : cursors) {
    out.append(types().attr("Cursor")(cursor.id.to_hex(), cursor.id.is_psk(),
                                      from_address(cursor.link), cursor.branch_no, cursor.seq_no));
  }
  return out;
}

ByteSpan span_of(const std::string& bytes) {
  return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
}

// ---- transports

struct Transport {
  explicit Transport(std::unique_ptr<ch::Transport> transport) : impl(std::move(transport)) {}
  std::unique_ptr<ch::Transport> impl;
  std::mutex mutex;
};
struct BucketTransport : Transport {
  BucketTransport() : Transport(std::make_unique<tr::BucketTransport>()) {}
};
struct StoreTransport : Transport {
  using Transport::Transport;
};
struct NodeTransport : Transport {
  using Transport::Transport;
};

// ---- users

template <class U>
struct User {
  User(std::shared_ptr<Transport> t, U u)
      : transport(std::move(t)), user(std::make_unique<U>(std::move(u))) {}
  std::shared_ptr<Transport> transport;
  std::unique_ptr<U> user;
  std::mutex mutex;

  // Runs `call(user)` without the GIL, holding the user's and its transport's locks.
  template <class F>
  auto run(F&& call) {
    return without_gil(mutex, transport->mutex, [&] { return call(*user); });
  }
};
using PyAuthor = User<ch::Author>;
using PySubscriber = User<ch::Subscriber>;

// A method of one link that returns an address or message links: `call(user, link)`.
template <class U, class Call>
auto link_method(Call call) {
  return [call](User<U>& w, const py::handle& link) {
    const auto address = to_address(link);
    auto result = unwrap(w.run([&](U& u) { return call(u, address); }));
    if constexpr (std::is_same_v<decltype(result), ch::Address>) {
      return from_address(result);
    } else {
      return from_links(result);
    }
  };
}

// A method that builds a packet (send_* or prepare_*): `call(user, link, public, masked)`.
template <class U, class Call>
auto packet_method(Call call) {
  return [call](User<U>& w, const py::handle& link, const py::bytes& public_payload,
                const py::bytes& masked_payload) {
    const auto address = to_address(link);
    const std::string pub = public_payload, masked = masked_payload;
    return from_links(
        unwrap(w.run([&](U& u) { return call(u, address, span_of(pub), span_of(masked)); })));
  };
}

// The methods Author and Subscriber share, with the official names.
template <class U>
void bind_common(py::class_<User<U>, std::shared_ptr<User<U>>>& cls) {
  using W = User<U>;
  cls.def(
         "export_state",
         [](W& w, const std::string& password, const std::string& format) {
           const auto f = to_format(format);
           auto bytes = unwrap(w.run([&](U& u) { return u.export_state(password, f); }));
           return to_bytes(bytes);
         },
         py::arg("password"), py::arg("format") = "native")
      .def("channel_address",
           [](W& w) -> py::object {
             auto address = w.run([](U& u) { return u.channel_address(); });
             return address ? py::object(py::str(address->to_hex())) : py::object(py::none());
           })
      .def("announcement_link",
           [](W& w) {
             return from_optional_address(w.run([](U& u) { return u.announcement_link(); }));
           })
      .def("get_public_key",
           [](W& w) {
             return iota_streams::to_hex(w.run([](U& u) { return u.get_public_key(); }).bytes);
           })
      .def("author_public_key",
           [](W& w) -> py::object {
             const auto key = w.run([](U& u) { return u.author_public_key(); });
             return key ? py::object(py::str(iota_streams::to_hex(key->bytes)))
                        : py::object(py::none());
           })
      .def("is_multi_branching",
           [](W& w) { return w.run([](U& u) { return u.is_multi_branching(); }); })
      .def("is_single_depth", [](W& w) { return w.run([](U& u) { return u.is_single_depth(); }); })
      .def(
          "store_psk",
          [](W& w, const std::string& psk_seed) {
            return iota_streams::to_hex(
                unwrap(w.run([&](U& u) { return u.store_psk(std::string_view(psk_seed)); })).bytes);
          },
          py::arg("psk_seed"))
      .def(
          "remove_psk",
          [](W& w, const std::string& psk_id) {
            const auto id = to_psk_id(psk_id);
            unwrap(w.run([&](U& u) { return u.remove_psk(id); }));
          },
          py::arg("psk_id"))
      .def(
          "receive_signed_packet",
          [](W& w, const py::handle& link) {
            const auto address = to_address(link);
            auto packet = unwrap(w.run([&](U& u) { return u.receive_signed_packet(address); }));
            return types().attr("SignedPacket")(iota_streams::to_hex(packet.publisher.bytes),
                                                to_bytes(packet.public_payload),
                                                to_bytes(packet.masked_payload));
          },
          py::arg("link"))
      .def(
          "receive_tagged_packet",
          [](W& w, const py::handle& link) {
            const auto address = to_address(link);
            auto packet = unwrap(w.run([&](U& u) { return u.receive_tagged_packet(address); }));
            return types().attr("TaggedPacket")(to_bytes(packet.public_payload),
                                                to_bytes(packet.masked_payload));
          },
          py::arg("link"))
      .def(
          "receive_sequence",
          [](W& w, const py::handle& link) {
            const auto address = to_address(link);
            return from_address(unwrap(w.run([&](U& u) { return u.receive_sequence(address); })));
          },
          py::arg("link"))
      .def(
          "receive_msg",
          [](W& w, const py::handle& link) {
            const auto address = to_address(link);
            return from_message(unwrap(w.run([&](U& u) { return u.receive_msg(address); })));
          },
          py::arg("link"))
      .def(
          "receive_msg_by_sequence_number",
          [](W& w, const py::handle& anchor, uint32_t msg_num) {
            const auto address = to_address(anchor);
            return from_message(unwrap(
                w.run([&](U& u) { return u.receive_msg_by_sequence_number(address, msg_num); })));
          },
          py::arg("anchor_link"), py::arg("msg_num"))
      .def("fetch_next_msgs",
           [](W& w) { return from_fetched(w.run([](U& u) { return u.fetch_next_msgs(); })); })
      .def("fetch_all_next_msgs",
           [](W& w) { return from_fetched(w.run([](U& u) { return u.fetch_all_next_msgs(); })); })
      .def("sync_state",
           [](W& w) { (void)from_fetched(w.run([](U& u) { return u.fetch_all_next_msgs(); })); })
      .def(
          "fetch_prev_msg",
          [](W& w, const py::handle& link) {
            const auto address = to_address(link);
            return from_message(unwrap(w.run([&](U& u) { return u.fetch_prev_msg(address); })));
          },
          py::arg("link"))
      .def(
          "fetch_prev_msgs",
          [](W& w, const py::handle& link, size_t max) {
            const auto address = to_address(link);
            return from_messages(
                unwrap(w.run([&](U& u) { return u.fetch_prev_msgs(address, max); })));
          },
          py::arg("link"), py::arg("max"))
      .def("fetch_state",
           [](W& w) { return from_cursors(unwrap(w.run([](U& u) { return u.fetch_state(); }))); })
      .def(
          "gen_next_msg_ids",
          [](W& w, bool branching) {
            return from_cursors(w.run([&](U& u) { return u.gen_next_msg_ids(branching); }));
          },
          py::arg("branching"))
      .def("reset_state", [](W& w) { unwrap(w.run([](U& u) { return u.reset_state(); })); })
      .def("send_signed_packet",
           packet_method<U>([](U& u, auto&&... a) { return u.send_signed_packet(a...); }),
           py::arg("link"), py::arg("public_payload"), py::arg("masked_payload"))
      .def("send_tagged_packet",
           packet_method<U>([](U& u, auto&&... a) { return u.send_tagged_packet(a...); }),
           py::arg("link"), py::arg("public_payload"), py::arg("masked_payload"))
      .def("prepare_signed_packet",
           packet_method<U>([](U& u, auto&&... a) { return u.prepare_signed_packet(a...); }),
           py::arg("link"), py::arg("public_payload"), py::arg("masked_payload"))
      .def("prepare_tagged_packet",
           packet_method<U>([](U& u, auto&&... a) { return u.prepare_tagged_packet(a...); }),
           py::arg("link"), py::arg("public_payload"), py::arg("masked_payload"))
      .def("has_pending", [](W& w) { return w.run([](U& u) { return u.has_pending(); }); })
      .def("pending_messages",
           [](W& w) {
             const auto pending = w.run([](U& u) { return u.pending_messages(); });
             py::list out;
             for (const auto& message : pending) out.append(from_address(message.link));
             return out;
           })
      .def("publish_pending", [](W& w) { unwrap(w.run([](U& u) { return u.publish_pending(); })); })
      .def_property_readonly("transport", [](W& w) { return w.transport; });
}

template <class U>
std::shared_ptr<User<U>> import_user(const py::bytes& data, const std::string& password,
                                     std::shared_ptr<Transport> transport,
                                     const std::string& format) {
  const std::string bytes = data;
  const auto f = to_format(format);
  auto user = unwrap([&] {
    py::gil_scoped_release nogil;
    std::lock_guard lock(transport->mutex);
    return U::import_state(span_of(bytes), password, *transport->impl, f);
  }());
  return std::make_shared<User<U>>(std::move(transport), std::move(user));
}

}  // namespace

PYBIND11_MODULE(_iota_streams, m) {
  m.doc() = "IOTA Streams 1.2 Channels (iota-streams-cpp): Author, Subscriber and transports";
  m.attr("__version__") = STREAMS_VERSION;
  py::register_exception<StreamsError>(m, "StreamsError");

  py::class_<Transport, std::shared_ptr<Transport>>(
      m, "Transport", "Where messages go: BucketTransport, StoreTransport or NodeTransport.");
  py::class_<BucketTransport, Transport, std::shared_ptr<BucketTransport>>(
      m, "BucketTransport", "In memory, in this process.")
      .def(py::init<>());
  py::class_<StoreTransport, Transport, std::shared_ptr<StoreTransport>>(
      m, "StoreTransport",
      "A local store file (SQLite), the CLI's default; streams-node serves the same files.")
      .def(py::init([](const std::string& path, const std::string& network_name) {
             auto store = unwrap([&] {
               py::gil_scoped_release nogil;
               return tr::StoreTransport::open(path, network_name);
             }());
             return std::make_shared<StoreTransport>(std::move(store));
           }),
           py::arg("path"), py::arg("network_name") = std::string(tr::kLocalNetworkName));
  py::class_<NodeTransport, Transport, std::shared_ptr<NodeTransport>>(
      m, "NodeTransport",
      "A Chrysalis node's HTTP API (streams-node or a Hornet/Bee node), over libcurl.")
      .def(py::init([](const std::string& url, bool local_pow, uint32_t timeout_ms) {
             tr::NodeOptions options;
             options.local_pow = local_pow;
             options.timeout_ms = timeout_ms;
             auto node =
                 unwrap(tr::NodeTransport::connect(url, options, tr::make_curl_http_client()));
             return std::make_shared<NodeTransport>(std::move(node));
           }),
           py::arg("url"), py::arg("local_pow") = true, py::arg("timeout_ms") = 30000);

  py::class_<PyAuthor, std::shared_ptr<PyAuthor>> author(m, "Author", "The channel's author.");
  author
      .def(py::init([](const std::string& seed, const py::handle& channel_type,
                       std::shared_ptr<Transport> transport) {
             const auto type = to_channel_type(channel_type);
             auto& impl = *transport->impl;
             return std::make_shared<PyAuthor>(std::move(transport), [&] {
               py::gil_scoped_release nogil;
               return ch::Author(seed, type, impl);
             }());
           }),
           py::arg("seed"), py::arg("channel_type"), py::arg("transport"))
      .def_static(
          "recover",
          [](const std::string& seed, const py::handle& announcement,
             const py::handle& channel_type, std::shared_ptr<Transport> transport) {
            const auto link = to_address(announcement);
            const auto type = to_channel_type(channel_type);
            auto& impl = *transport->impl;
            auto recovered = unwrap([&] {
              py::gil_scoped_release nogil;
              std::lock_guard lock(transport->mutex);
              return ch::Author::recover(seed, link, type, impl);
            }());
            return std::make_shared<PyAuthor>(std::move(transport), std::move(recovered));
          },
          py::arg("seed"), py::arg("announcement"), py::arg("channel_type"), py::arg("transport"))
      .def_static("import_state", &import_user<ch::Author>, py::arg("data"), py::arg("password"),
                  py::arg("transport"), py::arg("format") = "native")
      .def("send_announce",
           [](PyAuthor& w) {
             return from_address(unwrap(w.run([](ch::Author& a) { return a.send_announce(); })));
           })
      .def("prepare_announce",
           [](PyAuthor& w) {
             return from_address(unwrap(w.run([](ch::Author& a) { return a.prepare_announce(); })));
           })
      .def("prepare_keyload_for_everyone", link_method<ch::Author>([](auto& u, auto& a) {
             return u.prepare_keyload_for_everyone(a);
           }),
           py::arg("link"))
      .def(
          "prepare_keyload",
          [](PyAuthor& w, const py::handle& link, const std::vector<std::string>& psk_ids,
             const std::vector<std::string>& public_keys) {
            const auto address = to_address(link);
            const auto recipients = to_recipients(psk_ids, public_keys);
            return from_links(unwrap(
                w.run([&](ch::Author& a) { return a.prepare_keyload(address, recipients); })));
          },
          py::arg("link"), py::arg("psk_ids"), py::arg("public_keys"))
      .def("send_keyload_for_everyone",
           link_method<ch::Author>([](auto& u, auto& a) { return u.send_keyload_for_everyone(a); }),
           py::arg("link"))
      .def(
          "send_keyload",
          [](PyAuthor& w, const py::handle& link, const std::vector<std::string>& psk_ids,
             const std::vector<std::string>& public_keys) {
            const auto address = to_address(link);
            const auto recipients = to_recipients(psk_ids, public_keys);
            return from_links(
                unwrap(w.run([&](ch::Author& a) { return a.send_keyload(address, recipients); })));
          },
          py::arg("link"), py::arg("psk_ids"), py::arg("public_keys"))
      .def(
          "receive_subscribe",
          [](PyAuthor& w, const py::handle& link) {
            const auto address = to_address(link);
            unwrap(w.run([&](ch::Author& a) { return a.receive_subscribe(address); }));
          },
          py::arg("link"))
      .def(
          "receive_unsubscribe",
          [](PyAuthor& w, const py::handle& link) {
            const auto address = to_address(link);
            unwrap(w.run([&](ch::Author& a) { return a.receive_unsubscribe(address); }));
          },
          py::arg("link"))
      .def(
          "store_new_subscriber",
          [](PyAuthor& w, const std::string& key) {
            const auto pk = to_public_key(key);
            unwrap(w.run([&](ch::Author& a) { return a.store_new_subscriber(pk); }));
          },
          py::arg("public_key"))
      .def(
          "remove_subscriber",
          [](PyAuthor& w, const std::string& key) {
            const auto pk = to_public_key(key);
            unwrap(w.run([&](ch::Author& a) { return a.remove_subscriber(pk); }));
          },
          py::arg("public_key"));
  bind_common<ch::Author>(author);

  py::class_<PySubscriber, std::shared_ptr<PySubscriber>> subscriber(
      m, "Subscriber", "A reader (and writer) of a channel.");
  subscriber
      .def(py::init([](const std::string& seed, std::shared_ptr<Transport> transport) {
             auto& impl = *transport->impl;
             return std::make_shared<PySubscriber>(std::move(transport), [&] {
               py::gil_scoped_release nogil;
               return ch::Subscriber(seed, impl);
             }());
           }),
           py::arg("seed"), py::arg("transport"))
      .def_static("import_state", &import_user<ch::Subscriber>, py::arg("data"),
                  py::arg("password"), py::arg("transport"), py::arg("format") = "native")
      .def("is_registered",
           [](PySubscriber& w) {
             return w.run([](ch::Subscriber& s) { return s.is_registered(); });
           })
      .def("unregister",
           [](PySubscriber& w) {
             w.run([](ch::Subscriber& s) {
               s.unregister();
               return 0;
             });
           })
      .def(
          "receive_announcement",
          [](PySubscriber& w, const py::handle& link) {
            const auto address = to_address(link);
            unwrap(w.run([&](ch::Subscriber& s) { return s.receive_announcement(address); }));
          },
          py::arg("link"))
      .def("send_subscribe",
           link_method<ch::Subscriber>([](auto& u, auto& a) { return u.send_subscribe(a); }),
           py::arg("link"))
      .def("prepare_subscribe",
           link_method<ch::Subscriber>([](auto& u, auto& a) { return u.prepare_subscribe(a); }),
           py::arg("link"))
      .def("prepare_unsubscribe",
           link_method<ch::Subscriber>([](auto& u, auto& a) { return u.prepare_unsubscribe(a); }),
           py::arg("link"))
      .def("send_unsubscribe",
           link_method<ch::Subscriber>([](auto& u, auto& a) { return u.send_unsubscribe(a); }),
           py::arg("link"))
      .def(
          "receive_keyload",
          [](PySubscriber& w, const py::handle& link) {
            const auto address = to_address(link);
            return unwrap(w.run([&](ch::Subscriber& s) { return s.receive_keyload(address); }));
          },
          py::arg("link"));
  bind_common<ch::Subscriber>(subscriber);
}
