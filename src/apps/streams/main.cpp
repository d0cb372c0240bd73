// `streams`: the command-line tool of the project.
#include <cstdio>
#include <cstring>
#include <exception>

#include "cli.h"
#include "commands.h"

namespace {

void usage() {
  std::fprintf(
      stderr,
      "usage: streams <command>\n"
      "  demo [--type T]         the original proof-of-concept flow on the in-memory bucket\n"
      "  selfcheck               check the core layers against the official known answers\n"
      "  vectors parse FILE      list every message of an official vector file with its header\n"
      "  vectors check FILE      replay an official vector file and check every step\n"
      "  completion bash|zsh     a shell completion script: source <(streams completion bash)\n");
  iota_streams::apps::print_channel_usage(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && std::strcmp(argv[1], "selfcheck") == 0)
      return iota_streams::apps::run_selfcheck();
    if (argc >= 2 && std::strcmp(argv[1], "demo") == 0)
      return iota_streams::apps::run_demo(argc - 2, argv + 2);
    if (argc >= 2 && std::strcmp(argv[1], "vectors") == 0)
      return iota_streams::apps::run_vectors(argc - 2, argv + 2);
    if (argc >= 2 && std::strcmp(argv[1], "completion") == 0) {
      return iota_streams::apps::run_completion(argc - 2, argv + 2);
    }
    if (argc >= 2 && (argv[1][0] == '-' || iota_streams::apps::is_channel_command(argv[1]))) {
      return iota_streams::apps::run_channel_command(argc - 1, argv + 1);
    }
    if (argc >= 2 && (std::strcmp(argv[1], "help") == 0)) {
      usage();
      return 0;
    }
    usage();
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
