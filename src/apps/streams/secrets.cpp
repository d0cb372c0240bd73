#include "secrets.h"

#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>

namespace iota_streams::apps {
namespace {

std::vector<std::string>& pending_warnings() {
  static std::vector<std::string> warnings;
  return warnings;
}

// One line from `in`, without "\n" or "\r\n"; false at end of input with nothing read.
bool read_line(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return !line.empty();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

}  // namespace

Result<std::string> read_secret(const std::string& path, std::string_view what) {
  std::string line;
  const std::string source = path == "-" ? "standard input" : path;
  if (path == "-") {
    if (!read_line(std::cin, line))
      return Error(Errc::kInvalidArgument, std::string(what) + ": nothing on standard input");
  } else {
    std::ifstream in(path);
    if (!in) return Error(Errc::kInvalidArgument, std::string(what) + ": cannot read " + path);
    read_line(in, line);
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & (S_IRGRP | S_IROTH)) != 0) {
      pending_warnings().push_back(path + " is readable by other users (chmod 600 " + path + ")");
    }
  }
  if (line.empty())
    return Error(Errc::kInvalidArgument,
                 std::string(what) + ": the first line of " + source + " is empty");
  return line;
}

bool stdin_is_terminal() { return ::isatty(STDIN_FILENO) == 1; }

std::optional<std::string> prompt_secret(const std::string& prompt) {
  if (!stdin_is_terminal()) return std::nullopt;
  termios saved{};
  const bool can_hide = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (can_hide) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;  // the Enter key still ends the line visibly
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::fputs(prompt.c_str(), stderr);
  std::fflush(stderr);
  // read(2) byte by byte: no buffered input left behind for whatever reads standard input next.
  std::string line;
  char c = 0;
  bool got_line = false;
  while (::read(STDIN_FILENO, &c, 1) == 1) {
    if (c == '\n') {
      got_line = true;
      break;
    }
    line.push_back(c);
  }
  if (can_hide) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (!got_line && line.empty()) return std::nullopt;
  return line;
}

void warn_secret_on_command_line(std::string_view option, std::string_view instead) {
  pending_warnings().push_back(
      std::string(option) +
      " on the command line is visible to every user of this machine (ps); use " +
      std::string(instead));
}

std::vector<std::string> take_secret_warnings() {
  std::vector<std::string> warnings;
  warnings.swap(pending_warnings());
  return warnings;
}

}  // namespace iota_streams::apps
