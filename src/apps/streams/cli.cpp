// `streams` channel commands: an Author or a Subscriber driven from the shell, one command per
// call, its state kept between calls in a password-protected file (our state format). Outputs are
// fixed so that scripts can use them; errors go to stderr with a reason and a non-zero exit, and a
// failed command leaves the state file as it was (the new state is written to a temporary file and
// renamed over it).
//
// Exactly-once sends: a command that publishes prepares its message, saves the state that holds it
// as pending (written and synced), publishes, then saves again. A command killed, refused a write
// or left without an answer in between leaves a state whose pending message the next command
// publishes (byte-identical, or found already there) before anything else. Each command holds an
// exclusive lock on the state (STATE.lock) from start to end, so concurrent commands run one after
// the other.
#include "cli.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "cli_transport.h"
#include "iota_streams/base/platform.h"
#include "secrets.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"

namespace iota_streams::apps {
namespace {

using channels::Address;
using channels::Author;
using channels::Identifier;
using channels::MessageLinks;
using channels::Role;
using channels::StateFormat;
using channels::Subscriber;
using channels::UnwrappedMessage;

// A usage mistake (exit 2) as opposed to a failed operation (exit 1).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class T>
T must(Result<T> result) {
  if (!result.ok()) throw Failure(result.error().message());
  return std::move(result).value();
}
inline void must(Result<void> result) {
  if (!result.ok()) throw Failure(result.error().message());
}

// ---- arguments ----

struct Args {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;  // --name value, in order
  std::vector<std::string> flags;                            // --name (no value)

  std::optional<std::string> option(std::string_view name) const {
    std::optional<std::string> found;
    for (const auto& [n, v] : options) {
      if (n == name) found = v;
    }
    return found;
  }
  std::vector<std::string> all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : options) {
      if (n == name) out.push_back(v);
    }
    return out;
  }
  bool flag(std::string_view name) const {
    for (const auto& f : flags) {
      if (f == name) return true;
    }
    return false;
  }
};

// Options that take no value; every other --name takes the next argument.
bool is_flag(std::string_view name) { return name == "--hex"; }

Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      if (is_flag(a)) {
        args.flags.push_back(a);
        continue;
      }
      if (i + 1 >= argc) throw UsageError("option " + a + " needs a value");
      args.options.emplace_back(a, argv[++i]);
    } else {
      args.positional.push_back(a);
    }
  }
  return args;
}

void expect_positional(const Args& args, size_t count, const char* usage) {
  if (args.positional.size() != count)
    throw UsageError(std::string("usage: streams [options] ") + usage);
}

void allow_options(const Args& args, std::initializer_list<std::string_view> allowed) {
  auto known = [&](const std::string& name) {
    for (auto a : allowed) {
      if (a == name) return true;
    }
    return false;
  };
  for (const auto& [n, v] : args.options) {
    if (!known(n)) throw UsageError("unknown option " + n);
  }
  for (const auto& f : args.flags) {
    if (!known(f)) throw UsageError("unknown option " + f);
  }
}

Address parse_address(const std::string& text) { return must(Address::parse(text)); }

crypto::Ed25519PublicKey parse_public_key(const std::string& hex) {
  crypto::Ed25519PublicKey key;
  if (hex.size() != 2 * key.bytes.size() || !from_hex(hex, key.bytes)) {
    throw Failure("malformed public key '" + hex + "': expected 64 hex digits");
  }
  return key;
}

crypto::PskId parse_psk_id(const std::string& hex) {
  crypto::PskId id;
  if (hex.size() != 2 * id.bytes.size() || !from_hex(hex, id.bytes)) {
    throw Failure("malformed PSK id '" + hex + "': expected 32 hex digits");
  }
  return id;
}

std::vector<uint8_t> payload_of(const std::string& text, bool hex) {
  if (!hex) return {text.begin(), text.end()};
  std::vector<uint8_t> out(text.size() / 2);
  if (text.size() % 2 != 0 || !from_hex(text, out))
    throw Failure("malformed hex payload '" + text + "'");
  return out;
}

StateFormat format_of(const Args& args) {
  const auto format = args.option("--format");
  if (!format || *format == "native") return StateFormat::kNative;
  if (*format == "official") return StateFormat::kOfficial;
  throw UsageError("unknown state format '" + *format + "' (native or official)");
}

// ---- files ----

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Failure("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string system_error(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Writes the whole file or nothing: a temporary file beside it under an unpredictable name, created
// exclusively (never through a symlink or over another's file), mode 0600, written and synced,
// renamed over the target; then the directory is synced so that the rename itself survives a crash.
void write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  Bytes<16> nonce;
  platform::random_bytes(nonce.data(), nonce.size());
  const std::string temp = path + ".tmp." + to_hex(nonce);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw Failure(system_error("cannot create " + temp));
  auto fail = [&](const std::string& what) {
    const std::string reason = system_error(what);
    ::close(fd);
    ::unlink(temp.c_str());
    throw Failure(reason);
  };
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write " + temp);
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail("cannot sync " + temp);
  if (::close(fd) != 0) {
    const std::string reason = system_error("cannot write " + temp);
    ::unlink(temp.c_str());
    throw Failure(reason);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = system_error("cannot replace " + path);
    ::unlink(temp.c_str());
    throw Failure(reason);
  }
  const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) throw Failure(system_error("cannot open the directory of " + path + " to sync it"));
  const bool synced = ::fsync(dir) == 0;
  const std::string reason = synced ? "" : system_error("cannot sync the directory of " + path);
  ::close(dir);
  if (!synced) throw Failure(reason);
}

// Temporary files of the state left by a command killed while writing (STATE.tmp.<32 hex digits>).
// Only called with the lock held, when no other command can be writing one.
void remove_stale_temp_files(const std::string& state) {
  const size_t slash = state.rfind('/');
  const std::string prefix =
      (slash == std::string::npos ? state : state.substr(slash + 1)) + ".tmp.";
  const std::string directory = directory_of(state);
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) return;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.size() != prefix.size() + 32 || name.compare(0, prefix.size(), prefix) != 0) continue;
    if (name.find_first_not_of("0123456789abcdef", prefix.size()) != std::string::npos) continue;
    ::unlink((directory + "/" + name).c_str());  // a file or a link, never what a link points to
  }
  ::closedir(dir);
}

// An exclusive lock on the state for the whole command: flock on STATE.lock (the state file itself
// is replaced by each save, so it cannot carry the lock). The lock file stays; the kernel releases
// the lock when the process ends, killed or not. A second command waits up to --lock-wait, then
// fails.
class StateLock {
 public:
  StateLock(const std::string& state, uint32_t wait_ms) {
    const std::string path = state + ".lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ < 0) throw Failure(system_error("cannot open the lock file " + path));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        const std::string reason = system_error("cannot lock " + path);
        ::close(fd_);
        throw Failure(reason);
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        ::close(fd_);
        throw Failure("the state " + state + " is in use by another streams command (" + path +
                      " is locked); gave up after waiting " + std::to_string(wait_ms) +
                      " ms (--lock-wait)");
      }
      ::usleep(20 * 1000);
    }
    remove_stale_temp_files(state);
  }
  ~StateLock() { ::close(fd_); }
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  int fd_ = -1;
};

bool file_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// ---- the session: the user of the state file and its transport ----

struct Session {
  GlobalOptions global;
  std::optional<StateLock> lock;
  std::unique_ptr<channels::Transport> transport;
  std::variant<std::monostate, Author, Subscriber> user;

  bool is_author() const { return std::holds_alternative<Author>(user); }
  Author& author() {
    if (!is_author())
      throw Failure("this command needs an author state, and " + global.state +
                    " holds a subscriber");
    return std::get<Author>(user);
  }
  Subscriber& subscriber() {
    if (!std::holds_alternative<Subscriber>(user)) {
      throw Failure("this command needs a subscriber state, and " + global.state +
                    " holds an author");
    }
    return std::get<Subscriber>(user);
  }
  template <class F>
  auto visit(F&& f) {
    if (is_author()) return f(std::get<Author>(user));
    return f(subscriber());
  }
};

void open_transport(Session& s) { s.transport = must(make_cli_transport(s.global)); }

void save(Session& s);

// Publishes what an earlier command prepared and could not confirm (killed, no answer, a failed
// save), then saves: nothing new is built before that.
void deliver_pending(Session& s) {
  if (!s.visit([](auto& u) { return u.has_pending(); })) return;
  auto delivered = s.visit([](auto& u) { return u.publish_pending(); });
  if (!delivered.ok()) {
    throw Failure(
        "a message prepared by an earlier command is pending and could not be published: " +
        delivered.error().message() + "; it stays pending in " + s.global.state);
  }
  save(s);
}

// Reads the state file; with `deliver`, first publishes whatever an earlier command left pending.
void load(Session& s, bool deliver = true) {
  if (!file_exists(s.global.state)) {
    throw Failure("no state file " + s.global.state +
                  " (create one with 'author create' or 'subscriber create')");
  }
  const auto bytes = read_file(s.global.state);
  open_transport(s);
  const Role role = must(channels::state_role(bytes, StateFormat::kNative));
  if (role == Role::kAuthor) {
    s.user.emplace<Author>(must(Author::import_state(bytes, s.global.password, *s.transport)));
  } else {
    s.user.emplace<Subscriber>(
        must(Subscriber::import_state(bytes, s.global.password, *s.transport)));
  }
  if (deliver) deliver_pending(s);
}

void save(Session& s) {
  const auto bytes = s.visit([&](auto& u) { return must(u.export_state(s.global.password)); });
  write_file_atomically(s.global.state, bytes);
}

void refuse_existing_state(const Session& s) {
  if (file_exists(s.global.state)) {
    throw Failure("state file " + s.global.state + " exists; remove it or choose another --state");
  }
}

std::string links_text(const MessageLinks& links) {
  std::string out = links.msg_link.to_string();
  if (links.seq_link) out += " " + links.seq_link->to_string();
  return out;
}

nlohmann::json optional_text(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

// ---- commands ----

// A seed from --seed-file F ("-": standard input), the terminal (asked without echo), or --seed S
// (with a warning: other users see arguments).
std::string seed_of(const Args& args, const std::string& command) {
  if (const auto file = args.option("--seed-file")) return must(read_secret(*file, "--seed-file"));
  if (const auto seed = args.option("--seed")) {
    warn_secret_on_command_line("--seed", "--seed-file F (- for standard input) or the prompt");
    if (seed->empty()) throw UsageError(command + " needs a seed that is not empty");
    return *seed;
  }
  if (auto typed = prompt_secret("seed: "); typed && !typed->empty()) return *typed;
  throw UsageError(command +
                   " needs a seed: --seed-file F (- for standard input), or a terminal to type it");
}

int author_create(Session& s, const Args& args) {
  allow_options(args, {"--seed", "--seed-file", "--type"});
  expect_positional(
      args, 0,
      "author create --seed-file F|--seed S [--type single-branch|multi-branch|single-depth]");
  const auto type_text = args.option("--type").value_or("single-branch");
  const auto type = channels::parse_channel_type(type_text);
  if (!type) throw UsageError("unknown channel type '" + type_text + "'");
  refuse_existing_state(s);
  const std::string seed = seed_of(args, "author create");
  open_transport(s);
  auto& author = s.user.emplace<Author>(seed, *type, *s.transport);
  save(s);
  std::printf("%s\n", author.channel_address()->to_hex().c_str());
  return 0;
}

int subscriber_create(Session& s, const Args& args) {
  allow_options(args, {"--seed", "--seed-file"});
  expect_positional(args, 0, "subscriber create --seed-file F|--seed S");
  refuse_existing_state(s);
  const std::string seed = seed_of(args, "subscriber create");
  open_transport(s);
  auto& subscriber = s.user.emplace<Subscriber>(seed, *s.transport);
  save(s);
  std::printf("%s\n", to_hex(subscriber.get_public_key().bytes).c_str());
  return 0;
}

int info(Session& s, const Args& args) {
  expect_positional(args, 0, "info");
  load(s, false);
  nlohmann::json out;
  out["role"] = s.is_author() ? "author" : "subscriber";
  s.visit([&](auto& u) {
    const auto channel = u.channel_address();
    out["channel"] = optional_text(channel ? std::optional(channel->to_hex()) : std::nullopt);
    out["pk"] = to_hex(u.get_public_key().bytes);
    const auto& announcement = u.announcement_link();
    out["announcement"] =
        optional_text(announcement ? std::optional(announcement->to_string()) : std::nullopt);
    return 0;
  });
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

// Runs `action` on the loaded user, saves the state, prints what `action` returned.
template <class Action>
int mutate(Session& s, Action&& action) {
  load(s);
  const std::string printed = action();
  save(s);
  if (!printed.empty()) std::printf("%s\n", printed.c_str());
  return 0;
}

void print_line(const std::string& text) {
  if (std::printf("%s\n", text.c_str()) < 0 || std::fflush(stdout) != 0) {
    throw Failure(system_error("published " + text + ", but cannot write it to stdout"));
  }
}

// A command that publishes: `prepare` builds the message into the state as pending (prepare_*); the
// state is saved with it (written and synced) before it is published, and saved again after.
template <class Prepare>
int send(Session& s, Prepare&& prepare) {
  load(s);
  const std::string printed = prepare();
  save(s);
  auto published = s.visit([](auto& u) { return u.publish_pending(); });
  if (!published.ok()) {
    throw Failure(published.error().message() + "; the message is saved as pending in " +
                  s.global.state + " and the next command publishes it");
  }
  try {
    save(s);
  } catch (const Failure& e) {
    // Published; the saved state still lists the message as pending, and the next command finds it.
    std::fprintf(stderr,
                 "warning: published, but the state could not be updated (%s); the next command "
                 "confirms the message\n",
                 e.what());
  }
  print_line(printed);
  return 0;
}

int announce(Session& s, const Args& args) {
  expect_positional(args, 0, "announce");
  return send(s, [&] { return must(s.author().prepare_announce()).to_string(); });
}

int receive_announce(Session& s, const Args& args) {
  expect_positional(args, 1, "receive-announce ADDR");
  const Address link = parse_address(args.positional[0]);
  return mutate(s, [&] {
    must(s.subscriber().receive_announcement(link));
    return std::string();
  });
}

int subscribe(Session& s, const Args& args) {
  expect_positional(args, 1, "subscribe ANN_ADDR");
  const Address link = parse_address(args.positional[0]);
  return send(s, [&] { return must(s.subscriber().prepare_subscribe(link)).to_string(); });
}

int unsubscribe(Session& s, const Args& args) {
  expect_positional(args, 1, "unsubscribe LINK");
  const Address link = parse_address(args.positional[0]);
  return send(s, [&] { return must(s.subscriber().prepare_unsubscribe(link)).to_string(); });
}

int receive_subscribe(Session& s, const Args& args, bool unsubscribe) {
  expect_positional(args, 1, unsubscribe ? "receive-unsubscribe ADDR" : "receive-subscribe ADDR");
  const Address link = parse_address(args.positional[0]);
  return mutate(s, [&] {
    must(unsubscribe ? s.author().receive_unsubscribe(link) : s.author().receive_subscribe(link));
    return std::string();
  });
}

int store_psk(Session& s, const Args& args) {
  allow_options(args, {"--seed-file"});
  if (args.positional.size() > 1 || (args.positional.size() == 1 && args.option("--seed-file"))) {
    throw UsageError("usage: streams [options] store-psk --seed-file F | store-psk PSK_SEED");
  }
  std::string psk_seed;
  if (args.positional.size() == 1) {
    warn_secret_on_command_line("a PSK seed",
                                "store-psk --seed-file F (- for standard input) or the prompt");
    psk_seed = args.positional[0];
  } else if (const auto file = args.option("--seed-file")) {
    psk_seed = must(read_secret(*file, "--seed-file"));
  } else if (auto typed = prompt_secret("PSK seed: "); typed && !typed->empty()) {
    psk_seed = *typed;
  } else {
    throw UsageError(
        "store-psk needs a PSK seed: --seed-file F (- for standard input), or a terminal to type "
        "it");
  }
  return mutate(s, [&] {
    const auto id = s.visit([&](auto& u) { return must(u.store_psk(std::string_view(psk_seed))); });
    return to_hex(id.bytes);
  });
}

int keyload(Session& s, const Args& args) {
  allow_options(args, {"--pk", "--psk"});
  expect_positional(args, 1, "keyload LINK [--pk HEX]... [--psk ID]...");
  const Address link = parse_address(args.positional[0]);
  std::vector<Identifier> recipients;
  for (const auto& pk : args.all("--pk")) recipients.emplace_back(parse_public_key(pk));
  for (const auto& id : args.all("--psk")) recipients.emplace_back(parse_psk_id(id));
  return send(s, [&] {
    auto& author = s.author();
    // The library leaves out identities it does not know (as the official KeyMap::filter); here a
    // key that is not a subscriber is a mistake to report, not a keyload for fewer readers.
    for (const Identifier& id : recipients) {
      const auto& keys = author.state().key_store;
      if (id.is_psk() && keys.psk(id) == nullptr) {
        throw Failure("no PSK with id " + to_hex(id.psk_id().bytes) +
                      " in this state (store-psk it first)");
      }
      if (!id.is_psk() && keys.exchange_key(id) == nullptr) {
        throw Failure("no subscriber with public key " + to_hex(id.bytes()) +
                      " in this state (receive-subscribe its subscription first)");
      }
    }
    return links_text(recipients.empty() ? must(author.prepare_keyload_for_everyone(link))
                                         : must(author.prepare_keyload(link, recipients)));
  });
}

int packet(Session& s, const Args& args, bool is_signed) {
  allow_options(args, {"--hex"});
  expect_positional(
      args, 3,
      is_signed ? "signed LINK PUBLIC MASKED [--hex]" : "tagged LINK PUBLIC MASKED [--hex]");
  const Address link = parse_address(args.positional[0]);
  const bool hex = args.flag("--hex");
  const auto public_payload = payload_of(args.positional[1], hex);
  const auto masked_payload = payload_of(args.positional[2], hex);
  return send(s, [&] {
    return links_text(s.visit([&](auto& u) {
      return must(is_signed ? u.prepare_signed_packet(link, public_payload, masked_payload)
                            : u.prepare_tagged_packet(link, public_payload, masked_payload));
    }));
  });
}

// Standard output closed (`>&-`): descriptor 1 would go to the next file opened (the state lock,
// the state, a socket), and what a command prints would be written there. It is pointed at
// /dev/null before anything is opened, and fetch, whose output is the point, refuses to run.
bool g_stdout_closed = false;

void guard_standard_output() {
  if (::fcntl(STDOUT_FILENO, F_GETFD) >= 0) return;
  g_stdout_closed = true;
  const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd >= 0 && fd != STDOUT_FILENO) {
    ::dup2(fd, STDOUT_FILENO);
    ::close(fd);
  }
}

// Prints every new message as one JSON line, and saves the advanced cursors only once the whole
// batch is written: a reader whose output is lost (closed stdout, full disk) or whose node cannot
// be read exits non-zero, prints nothing, and gets the same messages from the next fetch.
int fetch(Session& s, const Args& args) {
  expect_positional(args, 0, "fetch");
  if (g_stdout_closed) throw Failure("standard output is closed; nothing fetched");
  load(s);
  const channels::FetchResult result = s.visit([](auto& u) { return u.fetch_all_next_msgs(); });
  if (result.transport_error) {
    throw Failure("cannot read the channel: " + result.transport_error->message() +
                  " (nothing fetched)");
  }
  std::string out;
  for (const UnwrappedMessage& m : result.messages) {
    nlohmann::json line;
    line["address"] = m.link.to_string();
    line["type"] = std::string(channels::kind_name(m.kind));
    line["publisher"] =
        optional_text(m.publisher ? std::optional(to_hex(m.publisher->bytes)) : std::nullopt);
    line["public"] = to_hex(m.public_payload);
    line["masked"] = to_hex(m.masked_payload);
    if (m.forked) line["forked"] = true;
    out += line.dump() + "\n";
  }
  for (const channels::Refusal& r : result.refused) {
    const std::string which = r.candidate == channels::Refusal::kWholeAddress
                                  ? "every message"
                                  : "message " + std::to_string(r.candidate);
    std::fprintf(stderr, "refused %s at %s: %s\n", which.c_str(), r.link.to_string().c_str(),
                 r.reason.message().c_str());
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0 ||
      std::ferror(stdout)) {
    throw Failure(std::string("cannot write the fetched messages: ") + std::strerror(errno) +
                  " (state not saved: the next fetch returns them again)");
  }
  save(s);
  return 0;
}

int export_state(Session& s, const Args& args) {
  allow_options(args, {"--format"});
  expect_positional(args, 1, "export FILE [--format official]");
  const StateFormat format = format_of(args);
  load(s);
  const auto bytes =
      s.visit([&](auto& u) { return must(u.export_state(s.global.password, format)); });
  write_file_atomically(args.positional[0], bytes);
  return 0;
}

int import_state(Session& s, const Args& args) {
  allow_options(args, {"--format"});
  expect_positional(args, 1, "import FILE [--format official]");
  const StateFormat format = format_of(args);
  refuse_existing_state(s);
  const auto bytes = read_file(args.positional[0]);
  open_transport(s);
  const Role role = must(channels::state_role(bytes, format));
  if (role == Role::kAuthor) {
    s.user.emplace<Author>(
        must(Author::import_state(bytes, s.global.password, *s.transport, format)));
  } else {
    s.user.emplace<Subscriber>(
        must(Subscriber::import_state(bytes, s.global.password, *s.transport, format)));
  }
  save(s);
  return 0;
}

int dispatch(Session& s, const std::string& command, const Args& args) {
  if (!is_channel_command(command))
    throw UsageError("unknown command '" + command + "' (streams help)");
  s.lock.emplace(s.global.state, s.global.lock_wait_ms);
  if (command == "author" || command == "subscriber") {
    if (args.positional.empty() || args.positional[0] != "create") {
      throw UsageError("usage: streams [options] " + command + " create --seed S");
    }
    Args rest = args;
    rest.positional.erase(rest.positional.begin());
    return command == "author" ? author_create(s, rest) : subscriber_create(s, rest);
  }
  if (command == "info") return info(s, args);
  if (command == "announce") return announce(s, args);
  if (command == "receive-announce") return receive_announce(s, args);
  if (command == "subscribe") return subscribe(s, args);
  if (command == "unsubscribe") return unsubscribe(s, args);
  if (command == "receive-subscribe") return receive_subscribe(s, args, false);
  if (command == "receive-unsubscribe") return receive_subscribe(s, args, true);
  if (command == "store-psk") return store_psk(s, args);
  if (command == "keyload") return keyload(s, args);
  if (command == "signed") return packet(s, args, true);
  if (command == "tagged") return packet(s, args, false);
  if (command == "fetch") return fetch(s, args);
  if (command == "export") return export_state(s, args);
  if (command == "import") return import_state(s, args);
  throw UsageError("unknown command '" + command + "' (streams help)");
}

// "2.5" seconds -> 2500 ms; nothing for text that is not a number of seconds from 0 to a day.
std::optional<uint32_t> milliseconds_of(const std::string& seconds) {
  char* end = nullptr;
  const double value = std::strtod(seconds.c_str(), &end);
  if (seconds.empty() || *end != '\0' || !(value >= 0 && value <= 86400)) return std::nullopt;
  return static_cast<uint32_t>(value * 1000);
}

}  // namespace

void print_channel_usage(std::FILE* out) {
  std::fprintf(
      out,
      "channel commands: streams [--state F] [--password-file F | --no-password] [--store FILE | "
      "--node URL]\n"
      "                  [--timeout S] [--connect-timeout S] [--max-pow-score N] [--lock-wait S] "
      "COMMAND\n"
      "  author create --seed-file F [--type single-branch|multi-branch|single-depth]  -> channel "
      "address\n"
      "  subscriber create --seed-file F     -> public key (hex)\n"
      "  info                                -> {\"role\",\"channel\",\"pk\",\"announcement\"}\n"
      "  announce                            -> address\n"
      "  receive-announce ADDR\n"
      "  subscribe ANN_ADDR | unsubscribe LINK  -> address\n"
      "  receive-subscribe ADDR | receive-unsubscribe ADDR\n"
      "  store-psk --seed-file F             -> PSK id (hex)\n"
      "  keyload LINK [--pk HEX]... [--psk ID]...  -> address [sequence address]\n"
      "  signed LINK PUBLIC MASKED [--hex]   -> address [sequence address]\n"
      "  tagged LINK PUBLIC MASKED [--hex]   -> address [sequence address]\n"
      "  fetch                               -> one JSON object per message read\n"
      "  export FILE [--format official] | import FILE [--format official]\n"
      "  defaults: --state ./streams.state, --store ./streams.db\n"
      "  secrets: the state password from --password-file F, $STREAMS_PASSWORD, or asked on the\n"
      "  terminal; seeds from --seed-file F or asked on the terminal (F: a file, or - for "
      "standard\n"
      "  input). --password PW, --seed S and store-psk PSK_SEED work but other users can see "
      "them.\n"
      "  Without a password the state is not written unless --no-password says so.\n"
      "  node: --timeout 30 (seconds, each request), --connect-timeout 10, --max-pow-score 4000 (a "
      "node\n"
      "  asking for more PoW is refused); --lock-wait 30: how long to wait for another command on "
      "the state\n");
}

bool is_channel_command(std::string_view word) {
  for (std::string_view c :
       {"author", "subscriber", "info", "announce", "receive-announce", "subscribe", "unsubscribe",
        "receive-subscribe", "receive-unsubscribe", "store-psk", "keyload", "signed", "tagged",
        "fetch", "export", "import"}) {
    if (c == word) return true;
  }
  return false;
}

namespace {

// The state password: --password-file F, --password PW (with a warning), $STREAMS_PASSWORD, or
// asked on the terminal for commands that open the state. Empty when there is none.
struct PasswordOptions {
  std::optional<std::string> argument;
  std::optional<std::string> file;
  bool none = false;  // --no-password: the state may be written unprotected
};

std::string resolve_password(const PasswordOptions& options, const std::string& state) {
  if (options.none && (options.argument || options.file)) {
    throw UsageError("--no-password and a password: choose one");
  }
  if (options.file) return must(read_secret(*options.file, "--password-file"));
  if (options.argument) {
    warn_secret_on_command_line("--password", "$STREAMS_PASSWORD, --password-file F or the prompt");
    return *options.argument;
  }
  if (const char* env = std::getenv("STREAMS_PASSWORD")) return env;
  if (options.none) return "";
  return prompt_secret("password for " + state + ": ").value_or("");
}

// Resolves the password, refuses an unprotected state, runs the command: its exit status.
int run_command(Session& session, const PasswordOptions& password, const std::string& command,
                int argc, char** argv) {
  try {
    session.global.password = resolve_password(password, session.global.state);
    // Refused before anything is sent, so that no message goes out that the state would not record.
    if (session.global.password.empty() && !password.none && command != "info") {
      throw UsageError(
          "no password: the state " + session.global.state +
          " would be written unprotected. Give one with $STREAMS_PASSWORD, --password-file F or on "
          "the terminal, or pass --no-password");
    }
    return dispatch(session, command, parse_args(argc, argv));
  } catch (const UsageError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const Failure& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

}  // namespace

int run_channel_command(int argc, char** argv) {
  guard_standard_output();
  Session session;
  PasswordOptions password;
  // Global options come before the command word.
  int i = 0;
  for (; i < argc && std::string_view(argv[i]).rfind("--", 0) == 0; i += 2) {
    const std::string_view name = argv[i];
    if (name == "--no-password") {
      password.none = true;
      --i;  // a flag: no value follows
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "error: option %s needs a value\n", argv[i]);
      return 2;
    }
    const std::string value = argv[i + 1];
    if (name == "--state") {
      session.global.state = value;
    } else if (name == "--password") {
      password.argument = value;
    } else if (name == "--password-file") {
      password.file = value;
    } else if (name == "--store") {
      session.global.store = value;
    } else if (name == "--node") {
      session.global.node = value;
    } else if (name == "--timeout" || name == "--connect-timeout" || name == "--lock-wait") {
      const auto ms = milliseconds_of(value);
      if (!ms) {
        std::fprintf(stderr, "error: %s needs a number of seconds (0 to 86400), not '%s'\n",
                     argv[i], value.c_str());
        return 2;
      }
      (name == "--timeout"           ? session.global.timeout_ms
       : name == "--connect-timeout" ? session.global.connect_timeout_ms
                                     : session.global.lock_wait_ms) = *ms;
    } else if (name == "--max-pow-score") {
      char* end = nullptr;
      const double score = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(score >= 0)) {
        std::fprintf(stderr, "error: --max-pow-score needs a number, not '%s'\n", value.c_str());
        return 2;
      }
      session.global.max_pow_score = score;
    } else {
      std::fprintf(stderr, "error: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (i >= argc) {
    print_channel_usage(stderr);
    return 2;
  }
  const std::string command = argv[i];
  const int status = run_command(session, password, command, argc - i - 1, argv + i + 1);
  print_secret_warnings();  // after the command's own error, which stays the first line on stderr
  return status;
}

}  // namespace iota_streams::apps
