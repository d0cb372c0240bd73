// `streams`: the command-line tool of the project. Its commands are in one table (commands.h).
#include <cstdio>
#include <exception>

#include "commands.h"

int main(int argc, char** argv) {
  try {
    return iota_streams::apps::run_streams(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
