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
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
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
#include "commands.h"
#include "iota_streams/base/platform.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "progress.h"
#include "secrets.h"

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

// --json: answers as JSON objects on stdout, errors and warnings as JSON objects on stderr.
bool g_json = false;
// A progress line on stderr for long work (stderr a terminal, not --json).
bool g_progress = false;

void warn(const std::string& text) {
  if (g_json) {
    std::fprintf(stderr, "%s\n", nlohmann::json{{"warning", text}}.dump().c_str());
  } else {
    std::fprintf(stderr, "warning: %s\n", text.c_str());
  }
}

void print_error(const std::string& text) {
  if (g_json) {
    std::fprintf(stderr, "%s\n", nlohmann::json{{"error", text}}.dump().c_str());
  } else {
    std::fprintf(stderr, "error: %s\n", text.c_str());
  }
}

template <class T>
T must(Result<T> result) {
  if (!result.ok()) throw Failure(result.error().message());
  return std::move(result).value();
}
inline void must(Result<void> result) {
  if (!result.ok()) throw Failure(result.error().message());
}

// ---- arguments ----

}  // namespace

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

namespace {

Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      if (has_word(kFlags, a)) {
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

// The command being run (its entry in the command table), for its usage in errors.
const Command* g_command = nullptr;

std::string usage_of(const Command& c) {
  std::string usage =
      std::string("usage: streams ") + (c.channel ? "[options] " : "") + std::string(c.name);
  if (!c.arguments.empty()) usage += " " + std::string(c.arguments);
  return usage;
}

void expect_positional(const Args& args, size_t count) {
  if (args.positional.size() != count) throw UsageError(usage_of(*g_command));
}

// The command's own options (its entry in the command table) and --json, nothing else.
void allow_options(const Args& args, std::string_view allowed) {
  auto known = [&](const std::string& name) { return name == "--json" || has_word(allowed, name); };
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

}  // namespace

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

namespace {

void open_transport(Session& s) { s.transport = must(make_cli_transport(s.global)); }

std::string publishing_label(const Session& s) {
  return s.global.node.empty() ? "publishing" : "publishing (proof of work)";
}

void save(Session& s);

// Publishes what an earlier command prepared and could not confirm (killed, no answer, a failed
// save), then saves: nothing new is built before that.
void deliver_pending(Session& s) {
  if (!s.visit([](auto& u) { return u.has_pending(); })) return;
  Progress progress(g_progress, publishing_label(s));
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

nlohmann::json optional_text(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

// What a command prints: one JSON object (its fields in order). Without --json the values that are
// not null, separated by spaces (e.g. "ADDRESS SEQUENCE_ADDRESS"); an empty object prints nothing.
using Answer = nlohmann::ordered_json;

Answer links_answer(const MessageLinks& links) {
  return {{"address", links.msg_link.to_string()},
          {"sequence", links.seq_link ? nlohmann::json(links.seq_link->to_string()) : nullptr}};
}

std::string answer_text(const Answer& answer) {
  std::string text;
  for (const auto& [key, value] : answer.items()) {
    if (value.is_null()) continue;
    text +=
        (text.empty() ? "" : " ") + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return text;
}

// Writes `text` to stdout and flushes; a failure to write is the command's failure (`done`: what
// was already done, for the reason).
void write_stdout(const std::string& text, const std::string& done) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0 ||
      std::ferror(stdout)) {
    throw Failure(system_error(done + ", but cannot write it to stdout"));
  }
}

void print_answer(const Answer& answer, const std::string& done = "done") {
  if (answer.empty()) return;
  write_stdout((g_json ? answer.dump() : answer_text(answer)) + "\n", done);
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
  expect_positional(args, 0);
  const auto type_text = args.option("--type").value_or("single-branch");
  const auto type = channels::parse_channel_type(type_text);
  if (!type) throw UsageError("unknown channel type '" + type_text + "'");
  refuse_existing_state(s);
  const std::string seed = seed_of(args, "author create");
  open_transport(s);
  auto& author = s.user.emplace<Author>(seed, *type, *s.transport);
  save(s);
  print_answer({{"channel", author.channel_address()->to_hex()}});
  return 0;
}

int subscriber_create(Session& s, const Args& args) {
  expect_positional(args, 0);
  refuse_existing_state(s);
  const std::string seed = seed_of(args, "subscriber create");
  open_transport(s);
  auto& subscriber = s.user.emplace<Subscriber>(seed, *s.transport);
  save(s);
  print_answer({{"public_key", to_hex(subscriber.get_public_key().bytes)}});
  return 0;
}

int info(Session& s, const Args& args) {
  expect_positional(args, 0);
  load(s, false);
  Answer out;
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
  write_stdout(out.dump() + "\n", "read the state");  // JSON with or without --json
  return 0;
}

// Runs `action` on the loaded user, saves the state, prints what `action` returned.
template <class Action>
int mutate(Session& s, Action&& action) {
  load(s);
  const Answer answer = action();
  save(s);
  print_answer(answer, "saved " + s.global.state);
  return 0;
}

// A command that publishes: `prepare` builds the message into the state as pending (prepare_*); the
// state is saved with it (written and synced) before it is published, and saved again after.
template <class Prepare>
int send(Session& s, Prepare&& prepare) {
  load(s);
  const Answer answer = prepare();
  save(s);
  auto published = [&] {
    Progress progress(g_progress, publishing_label(s));
    return s.visit([](auto& u) { return u.publish_pending(); });
  }();
  if (!published.ok()) {
    throw Failure(published.error().message() + "; the message is saved as pending in " +
                  s.global.state + " and the next command publishes it");
  }
  try {
    save(s);
  } catch (const Failure& e) {
    // Published; the saved state still lists the message as pending, and the next command finds it.
    warn(std::string("published, but the state could not be updated (") + e.what() +
         "); the next command confirms the message");
  }
  print_answer(answer, "published " + answer_text(answer));
  return 0;
}

int announce(Session& s, const Args& args) {
  expect_positional(args, 0);
  return send(s, [&] {
    return Answer{{"address", must(s.author().prepare_announce()).to_string()}};
  });
}

int receive_announce(Session& s, const Args& args) {
  expect_positional(args, 1);
  const Address link = parse_address(args.positional[0]);
  return mutate(s, [&] {
    must(s.subscriber().receive_announcement(link));
    return Answer::object();
  });
}

int subscribe(Session& s, const Args& args) {
  expect_positional(args, 1);
  const Address link = parse_address(args.positional[0]);
  return send(s, [&] {
    return Answer{{"address", must(s.subscriber().prepare_subscribe(link)).to_string()}};
  });
}

int unsubscribe(Session& s, const Args& args) {
  expect_positional(args, 1);
  const Address link = parse_address(args.positional[0]);
  return send(s, [&] {
    return Answer{{"address", must(s.subscriber().prepare_unsubscribe(link)).to_string()}};
  });
}

int receive_subscribe(Session& s, const Args& args, bool unsubscribe) {
  expect_positional(args, 1);
  const Address link = parse_address(args.positional[0]);
  return mutate(s, [&] {
    must(unsubscribe ? s.author().receive_unsubscribe(link) : s.author().receive_subscribe(link));
    return Answer::object();
  });
}

int store_psk(Session& s, const Args& args) {
  if (args.positional.size() > 1 || (args.positional.size() == 1 && args.option("--seed-file"))) {
    throw UsageError(usage_of(*g_command) + " | store-psk PSK_SEED");
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
    return Answer{{"psk_id", to_hex(id.bytes)}};
  });
}

int keyload(Session& s, const Args& args) {
  expect_positional(args, 1);
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
    return links_answer(recipients.empty() ? must(author.prepare_keyload_for_everyone(link))
                                           : must(author.prepare_keyload(link, recipients)));
  });
}

int packet(Session& s, const Args& args, bool is_signed) {
  expect_positional(args, 3);
  const Address link = parse_address(args.positional[0]);
  const bool hex = args.flag("--hex");
  const auto public_payload = payload_of(args.positional[1], hex);
  const auto masked_payload = payload_of(args.positional[2], hex);
  return send(s, [&] {
    return links_answer(s.visit([&](auto& u) {
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

// Every message published since the state's cursors (a progress line on a terminal).
channels::FetchResult fetch_batch(Session& s, bool progress) {
  Progress line(progress && g_progress, "fetching");
  return s.visit([](auto& u) { return u.fetch_all_next_msgs(); });
}

// Prints every message of the batch as one JSON line (refusals on stderr), flushed: an error when
// the output cannot be written, before anything is saved.
void print_batch(const channels::FetchResult& result) {
  std::string out;
  for (const UnwrappedMessage& m : result.messages) {
    nlohmann::ordered_json line;
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
    const bool whole = r.candidate == channels::Refusal::kWholeAddress;
    if (g_json) {
      const nlohmann::ordered_json refusal = {
          {"refused", r.link.to_string()},
          {"candidate", whole ? nlohmann::json(nullptr) : nlohmann::json(r.candidate)},
          {"reason", r.reason.message()}};
      std::fprintf(stderr, "%s\n", refusal.dump().c_str());
    } else {
      const std::string which = whole ? "every message" : "message " + std::to_string(r.candidate);
      std::fprintf(stderr, "refused %s at %s: %s\n", which.c_str(), r.link.to_string().c_str(),
                   r.reason.message().c_str());
    }
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0 ||
      std::ferror(stdout)) {
    throw Failure(std::string("cannot write the fetched messages: ") + std::strerror(errno) +
                  " (state not saved: the next fetch returns them again)");
  }
}

// fetch --follow: its options, read from the command line.
struct FollowOptions {
  uint32_t max_interval_ms = 30000;       // the longest wait between two polls with nothing new
  uint64_t count = 0;                     // stop once this many messages were printed (0: never)
  std::optional<uint32_t> until_idle_ms;  // stop after this long with nothing new
  uint32_t retries = 5;  // failed reads of the channel in a row tolerated before giving up
};
constexpr uint32_t kFirstIntervalMs = 500;

std::optional<uint32_t> milliseconds_of(const std::string& seconds);

uint64_t count_of(const Args& args, std::string_view name, uint64_t fallback) {
  const auto text = args.option(name);
  if (!text) return fallback;
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text->c_str(), &end, 10);
  if (text->empty() || (*text)[0] == '-' || *end != '\0' || errno != 0) {
    throw UsageError(std::string(name) + " needs a whole number, not '" + *text + "'");
  }
  return value;
}

uint32_t seconds_option(const Args& args, std::string_view name, uint32_t fallback_ms) {
  const auto text = args.option(name);
  if (!text) return fallback_ms;
  const auto ms = milliseconds_of(*text);
  if (!ms) {
    throw UsageError(std::string(name) + " needs a number of seconds (0 to 86400), not '" + *text +
                     "'");
  }
  return *ms;
}

FollowOptions follow_options(const Args& args) {
  FollowOptions o;
  o.max_interval_ms =
      std::max<uint32_t>(seconds_option(args, "--max-interval", o.max_interval_ms), 1);
  o.count = count_of(args, "--count", 0);
  if (args.option("--until-idle")) o.until_idle_ms = seconds_option(args, "--until-idle", 0);
  o.retries =
      static_cast<uint32_t>(std::min<uint64_t>(count_of(args, "--retries", o.retries), 1000));
  return o;
}

// SIGINT and SIGTERM end --follow between two batches: every batch printed is saved, exit 0.
volatile std::sig_atomic_t g_stop_following = 0;
extern "C" void stop_following(int) { g_stop_following = 1; }

void catch_stop_signals() {
  struct sigaction action {};
  action.sa_handler = stop_following;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a wait is cut short
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

// Waits `ms`, or less when asked to stop.
void pause_unless_stopped(uint32_t ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!g_stop_following && std::chrono::steady_clock::now() < until) ::usleep(20 * 1000);
}

// What one batch of --follow did: how many messages it printed, or why the channel could not be
// read (then nothing was printed or saved).
struct Batch {
  size_t printed = 0;
  std::optional<Error> failure;
};

// One batch with the state locked: load, fetch, print, save.
Batch follow_batch(Session& s) {
  s.lock.emplace(s.global.state, s.global.lock_wait_ms);
  load(s);
  channels::FetchResult result = fetch_batch(s, false);
  if (result.transport_error) {
    s.lock.reset();
    return {0, std::move(result.transport_error)};
  }
  print_batch(result);
  save(s);
  s.lock.reset();  // between batches, other commands (signed, tagged) may use the state
  return {result.messages.size(), std::nullopt};
}

// fetch --follow: a batch, then a wait (0.5 s after news, doubling up to --max-interval while
// nothing comes), until SIGINT/SIGTERM, --count messages or --until-idle seconds with nothing new.
// A channel that cannot be read is tried again --retries times (with the same waits), then the
// command fails. The state lock is taken for each batch only.
int follow(Session& s, const FollowOptions& o) {
  s.lock.reset();
  catch_stop_signals();
  uint64_t printed = 0;
  uint32_t failures = 0;
  uint32_t interval = std::min(kFirstIntervalMs, o.max_interval_ms);
  auto last_news = std::chrono::steady_clock::now();
  while (!g_stop_following) {
    const Batch batch = follow_batch(s);
    printed += batch.printed;
    const bool news = batch.printed != 0;
    if (batch.failure) {
      if (++failures > o.retries) {
        throw Failure("cannot read the channel: " + batch.failure->message() + " (gave up after " +
                      std::to_string(failures) +
                      " attempts in a row; every message printed is saved)");
      }
      warn("cannot read the channel (attempt " + std::to_string(failures) + " of " +
           std::to_string(o.retries + 1) + "): " + batch.failure->message());
    } else {
      failures = 0;
    }
    if (o.count != 0 && printed >= o.count) break;
    const auto now = std::chrono::steady_clock::now();
    if (news) {
      last_news = now;
      interval = std::min(kFirstIntervalMs, o.max_interval_ms);
    }
    uint32_t wait = interval;
    if (o.until_idle_ms) {
      const auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_news);
      if (idle.count() >= *o.until_idle_ms) break;
      wait = std::min<uint32_t>(wait, static_cast<uint32_t>(*o.until_idle_ms - idle.count()));
    }
    pause_unless_stopped(wait);
    if (!news) interval = std::min(interval * 2, o.max_interval_ms);
  }
  return 0;
}

// Prints every new message as one JSON line, and saves the advanced cursors only once the whole
// batch is written: a reader whose output is lost (closed stdout, full disk) or whose node cannot
// be read exits non-zero, prints nothing, and gets the same messages from the next fetch.
int fetch(Session& s, const Args& args) {
  expect_positional(args, 0);
  if (g_stdout_closed) throw Failure("standard output is closed; nothing fetched");
  if (args.flag("--follow")) return follow(s, follow_options(args));
  if (args.option("--max-interval") || args.option("--count") || args.option("--until-idle") ||
      args.option("--retries")) {
    throw UsageError("--max-interval, --count, --until-idle and --retries go with --follow");
  }
  load(s);
  const channels::FetchResult result = fetch_batch(s, true);
  if (result.transport_error) {
    throw Failure("cannot read the channel: " + result.transport_error->message() +
                  " (nothing fetched)");
  }
  print_batch(result);
  save(s);
  return 0;
}

int export_state(Session& s, const Args& args) {
  expect_positional(args, 1);
  const StateFormat format = format_of(args);
  load(s);
  const auto bytes =
      s.visit([&](auto& u) { return must(u.export_state(s.global.password, format)); });
  write_file_atomically(args.positional[0], bytes);
  return 0;
}

int import_state(Session& s, const Args& args) {
  expect_positional(args, 1);
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

// "2.5" seconds -> 2500 ms; nothing for text that is not a number of seconds from 0 to a day.
std::optional<uint32_t> milliseconds_of(const std::string& seconds) {
  char* end = nullptr;
  const double value = std::strtod(seconds.c_str(), &end);
  if (seconds.empty() || *end != '\0' || !(value >= 0 && value <= 86400)) return std::nullopt;
  return static_cast<uint32_t>(value * 1000);
}

}  // namespace

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

// Runs a channel command with its arguments checked against its table entry, the state locked.
int dispatch(Session& s, const Command& command, Args args) {
  g_command = &command;
  allow_options(args, command.options);
  if (!command.subcommands.empty()) {  // author create, subscriber create
    if (args.positional.empty() || !has_word(command.subcommands, args.positional[0])) {
      throw UsageError(usage_of(command));
    }
    args.positional.erase(args.positional.begin());
  }
  s.lock.emplace(s.global.state, s.global.lock_wait_ms);
  return command.channel(s, args);
}

// Resolves the password, refuses an unprotected state, runs the command: its exit status.
int run_command(Session& session, const PasswordOptions& password, const Command& command, int argc,
                char** argv) {
  try {
    session.global.password = resolve_password(password, session.global.state);
    // Refused before anything is sent, so that no message goes out that the state would not record.
    if (session.global.password.empty() && !password.none && command.name != "info") {
      throw UsageError(
          "no password: the state " + session.global.state +
          " would be written unprotected. Give one with $STREAMS_PASSWORD, --password-file F or on "
          "the terminal, or pass --no-password");
    }
    return dispatch(session, command, parse_args(argc, argv));
  } catch (const UsageError& e) {
    print_error(e.what());
    return 2;
  } catch (const Failure& e) {
    print_error(e.what());
    return 1;
  }
}

// A usage mistake in the global options: exit 2.
int usage_error(const std::string& text) {
  print_error(text);
  return 2;
}

// argv: everything after the program name (global options, then the command and its arguments).
int help(int argc, char** argv);

int run_channel_command(int argc, char** argv) {
  guard_standard_output();
  Session session;
  PasswordOptions password;
  // Global options come before the command word.
  int i = 0;
  for (; i < argc && std::string_view(argv[i]).rfind("--", 0) == 0; i += 2) {
    const std::string_view name = argv[i];
    if (name == "--help") return help(0, nullptr);
    if (name == "--no-password" || name == "--json") {
      if (name == "--no-password") password.none = true;
      --i;  // a flag: no value follows
      continue;
    }
    if (i + 1 >= argc) return usage_error("option " + std::string(name) + " needs a value");
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
        return usage_error(std::string(name) + " needs a number of seconds (0 to 86400), not '" +
                           value + "'");
      }
      (name == "--timeout"           ? session.global.timeout_ms
       : name == "--connect-timeout" ? session.global.connect_timeout_ms
                                     : session.global.lock_wait_ms) = *ms;
    } else if (name == "--max-pow-score") {
      char* end = nullptr;
      const double score = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(score >= 0)) {
        return usage_error("--max-pow-score needs a number, not '" + value + "'");
      }
      session.global.max_pow_score = score;
    } else {
      return usage_error("unknown option " + std::string(name) + " (streams help)");
    }
  }
  if (i >= argc) {
    print_usage(stderr);
    return 2;
  }
  const Command* command = find_command(argv[i]);
  if (command == nullptr) {
    return usage_error("unknown command '" + std::string(argv[i]) + "' (streams help)");
  }
  if (command->tool != nullptr) return command->tool(argc - i - 1, argv + i + 1);
  const int status = run_command(session, password, *command, argc - i - 1, argv + i + 1);
  // After the command's own error, which stays the first line on stderr.
  for (const std::string& warning : take_secret_warnings()) warn(warning);
  return status;
}

// ---- the command table, and what is generated from it ----

int author_command(Session& s, const Args& args) { return author_create(s, args); }
int subscriber_command(Session& s, const Args& args) { return subscriber_create(s, args); }
int receive_subscribe_command(Session& s, const Args& args) {
  return receive_subscribe(s, args, false);
}
int receive_unsubscribe_command(Session& s, const Args& args) {
  return receive_subscribe(s, args, true);
}
int signed_command(Session& s, const Args& args) { return packet(s, args, true); }
int tagged_command(Session& s, const Args& args) { return packet(s, args, false); }


int selfcheck_tool(int argc, char** argv) {
  drop_json_flag(argc, argv);
  if (argc != 0) return usage_error_of("selfcheck");
  return run_selfcheck();
}

// Every command of `streams`, once. Dispatch, usage and completion read this table only.
constexpr Command kCommands[] = {
    {"demo", "[--type T] [--author-seed S] [--subscriber-seed S] [--json]",
     "the original proof-of-concept flow on the in-memory bucket", "",
     "--type --author-seed --subscriber-seed --json", run_demo},
    {"selfcheck", "[--json]", "check the core layers against the official known answers", "",
     "--json", selfcheck_tool},
    {"vectors", "parse|check FILE [--json]",
     "list an official vector file's messages (parse), or replay and check it (check)",
     "parse check", "--json", run_vectors},
    {"completion", "bash|zsh", "a shell completion script: source <(streams completion bash)",
     "bash zsh", "", run_completion},
    {"help", "[--json]", "this list (--json: as one JSON object)", "", "--json", help},
    {"author", "create --seed-file F [--type single-branch|multi-branch|single-depth]",
     "a new channel and its state -> channel address", "create", "--seed-file --seed --type",
     nullptr, author_command},
    {"subscriber", "create --seed-file F", "a new subscriber and its state -> public key", "create",
     "--seed-file --seed", nullptr, subscriber_command},
    {"info", "", "-> {\"role\",\"channel\",\"pk\",\"announcement\"}", "", "", nullptr, info},
    {"announce", "", "author: publish the announcement -> address", "", "", nullptr, announce},
    {"receive-announce", "ADDR", "subscriber: read the channel's announcement", "", "", nullptr,
     receive_announce},
    {"subscribe", "ANN_ADDR", "subscriber: publish a subscription -> address", "", "", nullptr,
     subscribe},
    {"unsubscribe", "LINK", "subscriber: publish an unsubscription -> address", "", "", nullptr,
     unsubscribe},
    {"receive-subscribe", "ADDR", "author: add the subscriber of a subscription", "", "", nullptr,
     receive_subscribe_command},
    {"receive-unsubscribe", "ADDR", "author: remove the subscriber of an unsubscription", "", "",
     nullptr, receive_unsubscribe_command},
    {"store-psk", "--seed-file F", "store a pre-shared key -> PSK id", "", "--seed-file", nullptr,
     store_psk},
    {"keyload", "LINK [--pk HEX]... [--psk ID]...",
     "author: publish a keyload (everyone, or the keys given) -> address [sequence]", "",
     "--pk --psk", nullptr, keyload},
    {"signed", "LINK PUBLIC MASKED [--hex]", "publish a signed packet -> address [sequence]", "",
     "--hex", nullptr, signed_command},
    {"tagged", "LINK PUBLIC MASKED [--hex]", "publish a tagged packet -> address [sequence]", "",
     "--hex", nullptr, tagged_command},
    {"fetch", "[--follow [--max-interval S] [--count N] [--until-idle S] [--retries N]]",
     "every new message, a JSON object a line (--follow: as they arrive)", "",
     "--follow --max-interval --count --until-idle --retries", nullptr, fetch},
    {"export", "FILE [--format official]", "write the state to FILE (ours, or the official format)",
     "", "--format", nullptr, export_state},
    {"import", "FILE [--format official]", "a new state file from FILE", "", "--format", nullptr,
     import_state},
};

constexpr GlobalOption kGlobalOptions[] = {
    {"--state", "F", "the state file (default ./streams.state)"},
    {"--password-file", "F", "the state password from a file (- for standard input)"},
    {"--no-password", "", "the state may be written unprotected"},
    {"--password", "PW", "the state password as an argument (others can see it: a warning)"},
    {"--store", "FILE", "messages in a local store file (default ./streams.db)"},
    {"--node", "URL", "messages through a Chrysalis node (streams-node, Hornet, Bee)"},
    {"--timeout", "S", "seconds for each request to the node, as a whole (default 30)"},
    {"--connect-timeout", "S", "seconds for each connection (default 10)"},
    {"--max-pow-score", "N", "refuse a node asking for more proof of work (default 4000)"},
    {"--lock-wait", "S", "seconds to wait for another command on the state (default 30)"},
    {"--json", "", "answers as JSON objects; errors as {\"error\": ...} on stderr"},
};

// --json anywhere on the command line (also after the command's own arguments).
void set_output_mode(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) g_json = g_json || std::string_view(argv[i]) == "--json";
  g_progress = Progress::wanted(g_json);
}

int help(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    if (std::string_view(argv[i]) != "--json") return usage_error_of("help");
  }
  if (!g_json) {
    print_usage(stdout);
    return 0;
  }
  auto words = [](std::string_view text) {
    nlohmann::json list = nlohmann::json::array();
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find(' ', start);
      if (end == std::string_view::npos) end = text.size();
      if (end > start) list.push_back(std::string(text.substr(start, end - start)));
      start = end + 1;
    }
    return list;
  };
  nlohmann::ordered_json out;
  out["commands"] = nlohmann::json::array();
  for (const Command& c : kCommands) {
    out["commands"].push_back(nlohmann::ordered_json{{"name", c.name},
                                                     {"arguments", c.arguments},
                                                     {"help", c.help},
                                                     {"subcommands", words(c.subcommands)},
                                                     {"options", words(c.options)},
                                                     {"state", c.channel != nullptr}});
  }
  out["global_options"] = nlohmann::json::array();
  for (const GlobalOption& o : kGlobalOptions) {
    out["global_options"].push_back(
        nlohmann::ordered_json{{"name", o.name}, {"value", o.value}, {"help", o.help}});
  }
  write_stdout(out.dump() + "\n", "help");
  return 0;
}

// One line per entry: the words padded to a column, then the help (on the next line if too long).
void print_entry(std::FILE* out, const std::string& words, std::string_view help) {
  constexpr int kColumn = 40;
  if (words.size() + 2 < kColumn) {
    std::fprintf(out, "  %-*s%.*s\n", kColumn - 2, words.c_str(), static_cast<int>(help.size()),
                 help.data());
  } else {
    std::fprintf(out, "  %s\n  %-*s%.*s\n", words.c_str(), kColumn - 2, "",
                 static_cast<int>(help.size()), help.data());
  }
}

}  // namespace

std::span<const Command> commands() { return kCommands; }
bool json_output() { return g_json; }

int usage_error_of(std::string_view name) {
  const Command* command = find_command(name);
  return usage_error(command != nullptr ? usage_of(*command) : "streams help");
}

void drop_json_flag(int& argc, char** argv) {
  int kept = 0;
  for (int i = 0; i < argc; ++i) {
    if (std::string_view(argv[i]) != "--json") argv[kept++] = argv[i];
  }
  argc = kept;
}
std::span<const GlobalOption> global_options() { return kGlobalOptions; }

const Command* find_command(std::string_view name) {
  for (const Command& c : kCommands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool has_word(std::string_view words, std::string_view word) {
  for (size_t start = 0; start <= words.size();) {
    size_t end = words.find(' ', start);
    if (end == std::string_view::npos) end = words.size();
    if (words.substr(start, end - start) == word && !word.empty()) return true;
    start = end + 1;
  }
  return false;
}

void print_usage(std::FILE* out) {
  std::fputs(
      "usage: streams [global options] COMMAND [arguments] [--json]\n"
      "commands (those marked * run on a state file and take the global options):\n",
      out);
  for (const Command& c : kCommands) {
    std::string words = (c.channel != nullptr ? "*" : " ") + std::string(c.name);
    if (!c.arguments.empty()) words += " " + std::string(c.arguments);
    print_entry(out, words, c.help);
  }
  std::fputs("global options:\n", out);
  for (const GlobalOption& o : kGlobalOptions) {
    std::string words(o.name);
    if (!o.value.empty()) words += " " + std::string(o.value);
    print_entry(out, words, o.help);
  }
  std::fputs(
      "secrets: the state password from --password-file F, $STREAMS_PASSWORD, or asked on the\n"
      "  terminal; seeds from --seed-file F or asked on the terminal (F: a file, or - for "
      "standard\n"
      "  input). --password PW, --seed S and store-psk PSK_SEED work but other users can see "
      "them.\n"
      "  Without a password the state is not written unless --no-password says so.\n",
      out);
}

int run_streams(int argc, char** argv) {
  set_output_mode(argc, argv);
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  const std::string_view first = argv[1];
  if (first == "--help" || first == "-h") return help(0, nullptr);
  const Command* command = find_command(first);
  if (command != nullptr && command->tool != nullptr) return command->tool(argc - 2, argv + 2);
  if (command != nullptr || argv[1][0] == '-') return run_channel_command(argc - 1, argv + 1);
  return usage_error("unknown command '" + std::string(argv[1]) + "' (streams help)");
}

}  // namespace iota_streams::apps
