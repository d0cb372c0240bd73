// Secrets for the CLI (the state password, seeds, PSK seeds) from where other users of the machine
// cannot read them: the environment, a file, standard input, or the terminal with echo off. A
// secret given as a command-line argument still works, with a warning: `ps` and /proc show it to
// everyone.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iota_streams/base/error.h"

namespace iota_streams::apps {

// The first line of the file at `path` ("-": standard input), without its line end. An error names
// the file when it cannot be read or the line is empty. Warns when other users may read the file.
Result<std::string> read_secret(const std::string& path, std::string_view what);

// Whether standard input is a terminal (where the CLI may ask for a secret).
bool stdin_is_terminal();

// Asks for a secret on the terminal: `prompt` on stderr, the answer read from standard input with
// echo off (restored afterwards). Nothing when standard input is not a terminal or no line could be
// read.
std::optional<std::string> prompt_secret(const std::string& prompt);

// The warning for a secret given as an argument, naming the option and the ways that hide it.
void warn_secret_on_command_line(std::string_view option, std::string_view instead);

// Warnings are kept until the command is over, then taken (and printed) by the caller, so that a
// failed command's first line on stderr is still its error.
std::vector<std::string> take_secret_warnings();

}  // namespace iota_streams::apps
