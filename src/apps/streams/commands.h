// The commands of the `streams` executable, in one table (commands()): the dispatch (run_streams),
// the usage (`streams help`, and `streams help --json`) and the shell completion (`streams
// completion bash|zsh`) are all generated from it, so a command is added in one place.
#pragma once

#include <cstdio>
#include <span>
#include <string_view>

namespace iota_streams::apps {

struct Session;  // a channel command's state file, user and transport (cli.cpp)
struct Args;     // a command's arguments after its name (cli.cpp)

struct Command {
  std::string_view name;
  std::string_view arguments;    // the usage after the name
  std::string_view help;         // one line
  std::string_view subcommands;  // words that come right after the name ("create", "bash zsh")
  std::string_view options;      // the command's own options: all it accepts, all that complete
  // Exactly one of the two: a tool (no state), or a command on the state file (global options, the
  // password, the state lock).
  int (*tool)(int argc, char** argv) = nullptr;
  int (*channel)(Session& session, const Args& args) = nullptr;
};

// One option that comes before the command word (commands on a state).
struct GlobalOption {
  std::string_view name;
  std::string_view value;  // empty: a flag
  std::string_view help;
};

std::span<const Command> commands();
const Command* find_command(std::string_view name);
std::span<const GlobalOption> global_options();

// Options that take no value, wherever they stand; every other --name takes the next argument.
inline constexpr std::string_view kFlags = "--no-password --json --hex --follow";
// Whether `word` is one of the space-separated `words`.
bool has_word(std::string_view words, std::string_view word);

// Whether --json is on the command line: tools that print print JSON lines too.
bool json_output();
// The command's usage from its table entry, printed as an error (JSON with --json): returns 2.
int usage_error_of(std::string_view name);
// Removes --json from a tool's arguments (it may stand anywhere); argc is updated.
void drop_json_flag(int& argc, char** argv);

// The usage, generated from the tables.
void print_usage(std::FILE* out);

// The program: argv as main receives it.
int run_streams(int argc, char** argv);

int run_selfcheck();
int run_demo(int argc, char** argv);     // demo [--type T] [--author-seed S] [--subscriber-seed S]
int run_vectors(int argc, char** argv);  // vectors parse|check FILE
int run_completion(int argc, char** argv);  // completion bash|zsh

}  // namespace iota_streams::apps
