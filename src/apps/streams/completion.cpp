// `streams completion bash|zsh`: a completion script for the shell, printed on stdout.
//   source <(streams completion bash)          # or save it under /etc/bash_completion.d/streams
//   source <(streams completion zsh)           # zsh, through its bash completion emulation
// It completes the command words, the global options, each command's options, the values of --type
// and
// --format, and file names after options that take files. It is plain bash (no bash-completion
// needed).
#include <cstdio>
#include <string>
#include <string_view>

#include "cli.h"
#include "commands.h"

namespace iota_streams::apps {
namespace {

struct CommandOptions {
  std::string_view command;
  std::string_view options;  // what completes after the command word(s)
};

// Every command word and what follows it. The CLI test checks that each channel command here is one
// the CLI knows (is_channel_command) and that the usage names no command missing here.
constexpr CommandOptions kCommands[] = {
    {"demo", "--type"},
    {"selfcheck", ""},
    {"vectors", "parse check"},
    {"help", ""},
    {"completion", "bash zsh"},
    {"author", "create"},
    {"subscriber", "create"},
    {"info", ""},
    {"announce", ""},
    {"receive-announce", ""},
    {"subscribe", ""},
    {"unsubscribe", ""},
    {"receive-subscribe", ""},
    {"receive-unsubscribe", ""},
    {"store-psk", "--seed-file"},
    {"keyload", "--pk --psk"},
    {"signed", "--hex"},
    {"tagged", "--hex"},
    {"fetch", ""},
    {"export", "--format"},
    {"import", "--format"},
};
constexpr std::string_view kCreateOptions = "--seed-file --seed --type";
constexpr std::string_view kGlobalOptions =
    "--state --password-file --no-password --password --store --node";

std::string bash_script() {
  std::string words, cases;
  for (const auto& c : kCommands) {
    words += std::string(words.empty() ? "" : " ") + std::string(c.command);
    cases += "    " + std::string(c.command) + ") options=\"" + std::string(c.options) + "\" ;;\n";
  }
  return "# bash completion for streams (streams completion bash)\n"
         "_streams() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
         "  case $prev in\n"
         "    --state|--store|--password-file|--seed-file) COMPREPLY=($(compgen -f -- \"$cur\")); "
         "return ;;\n"
         "    --type) COMPREPLY=($(compgen -W \"single-branch multi-branch single-depth\" -- "
         "\"$cur\")); return ;;\n"
         "    --format) COMPREPLY=($(compgen -W \"native official\" -- \"$cur\")); return ;;\n"
         "    --node|--password|--seed|--pk|--psk) COMPREPLY=(); return ;;\n"
         "  esac\n"
         "  local i=1 command=\"\" sub=\"\"\n"
         "  while [ \"$i\" -lt \"$COMP_CWORD\" ]; do\n"
         "    case ${COMP_WORDS[i]} in\n"
         "      --no-password|--hex) ;;\n"
         "      --*) i=$((i + 1)) ;;\n"
         "      *) if [ -z \"$command\" ]; then command=${COMP_WORDS[i]}; elif [ -z \"$sub\" ]; "
         "then sub=${COMP_WORDS[i]}; fi ;;\n"
         "    esac\n"
         "    i=$((i + 1))\n"
         "  done\n"
         "  if [ -z \"$command\" ]; then\n"
         "    COMPREPLY=($(compgen -W \"" +
         words + " " + std::string(kGlobalOptions) +
         "\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  local options=\"\"\n"
         "  case $command in\n" +
         cases +
         "  esac\n"
         "  case $command/$sub in\n"
         "    author/create) options=\"" +
         std::string(kCreateOptions) +
         "\" ;;\n"
         "    subscriber/create) options=\"--seed-file --seed\" ;;\n"
         "    vectors/parse|vectors/check) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
         "    export/*|import/*) [[ $cur != -* ]] && { COMPREPLY=($(compgen -f -- \"$cur\")); "
         "return; } ;;\n"
         "  esac\n"
         "  COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
         "}\n"
         "complete -F _streams streams\n";
}

}  // namespace

int run_completion(int argc, char** argv) {
  const std::string shell = argc == 1 ? argv[0] : "";
  if (shell == "bash") {
    std::fputs(bash_script().c_str(), stdout);
    return 0;
  }
  if (shell == "zsh") {
    std::fputs(
        "# zsh completion for streams (streams completion zsh), through zsh's bash completion\n"
        "autoload -U +X compinit && compinit\n"
        "autoload -U +X bashcompinit && bashcompinit\n",
        stdout);
    std::fputs(bash_script().c_str(), stdout);
    return 0;
  }
  std::fprintf(stderr, "usage: streams completion bash|zsh\n");
  return 2;
}

}  // namespace iota_streams::apps
