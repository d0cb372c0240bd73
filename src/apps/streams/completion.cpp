// `streams completion bash|zsh`: a completion script for the shell, printed on stdout.
//   source <(streams completion bash)          # or save it under /etc/bash_completion.d/streams
//   source <(streams completion zsh)           # zsh, through its bash completion emulation
// Generated from the command table (commands.h): the command words, the global options, each
// command's sub-command and options; plus the values of --type and --format, and file names after
// options that take files. It is plain bash (no bash-completion needed).
#include <cstdio>
#include <string>
#include <string_view>

#include "commands.h"

namespace iota_streams::apps {
namespace {

// What completes as an option's value (the option names are the table's).
constexpr std::string_view kFileOptions = "--state --store --password-file --seed-file";
constexpr std::string_view kChannelTypes = "single-branch multi-branch single-depth";
constexpr std::string_view kStateFormats = "native official";

std::string alternatives(std::string_view words) {  // "a b c" -> "a|b|c"
  std::string out(words);
  for (char& c : out) c = c == ' ' ? '|' : c;
  return out;
}

std::string bash_script() {
  std::string words, cases;
  for (const Command& c : commands()) {
    words += std::string(words.empty() ? "" : " ") + std::string(c.name);
    cases += "    " + std::string(c.name) + ") subcommands=\"" + std::string(c.subcommands) +
             "\" options=\"" + std::string(c.options) + "\" ;;\n";
  }
  for (const GlobalOption& o : global_options()) words += " " + std::string(o.name);
  return "# bash completion for streams (streams completion bash)\n"
         "_streams() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
         "  case $prev in\n"
         "    " +
         alternatives(kFileOptions) +
         ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
         "    --type) COMPREPLY=($(compgen -W \"" +
         std::string(kChannelTypes) +
         "\" -- \"$cur\")); return ;;\n"
         "    --format) COMPREPLY=($(compgen -W \"" +
         std::string(kStateFormats) +
         "\" -- \"$cur\")); return ;;\n"
         "    " +
         alternatives(kFlags) +
         ") ;;\n"
         "    --*) COMPREPLY=(); return ;;\n"  // any other option takes a value of the user's
         "  esac\n"
         "  local i=1 command=\"\" sub=\"\"\n"
         "  while [ \"$i\" -lt \"$COMP_CWORD\" ]; do\n"
         "    case ${COMP_WORDS[i]} in\n"
         "      " +
         alternatives(kFlags) +
         ") ;;\n"
         "      --*) i=$((i + 1)) ;;\n"
         "      *) if [ -z \"$command\" ]; then command=${COMP_WORDS[i]}; elif [ -z \"$sub\" ]; "
         "then sub=${COMP_WORDS[i]}; fi ;;\n"
         "    esac\n"
         "    i=$((i + 1))\n"
         "  done\n"
         "  if [ -z \"$command\" ]; then\n"
         "    COMPREPLY=($(compgen -W \"" +
         words +
         "\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  local subcommands=\"\" options=\"\"\n"
         "  case $command in\n" +
         cases +
         "  esac\n"
         "  if [ -n \"$subcommands\" ] && [ -z \"$sub\" ]; then\n"
         "    COMPREPLY=($(compgen -W \"$subcommands\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  case $command/$sub in\n"
         "    vectors/*) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
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
  return usage_error_of("completion");
}

}  // namespace iota_streams::apps
