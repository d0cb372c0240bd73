// The channel commands of the `streams` executable (author create, announce, keyload, fetch, ...).
#pragma once

#include <cstdio>
#include <string_view>

namespace iota_streams::apps {

bool is_channel_command(std::string_view word);
void print_channel_usage(std::FILE* out);
// argv: everything after the program name (global options, then the command and its arguments).
int run_channel_command(int argc, char** argv);

}  // namespace iota_streams::apps
