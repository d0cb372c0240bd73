#!/usr/bin/env python3
"""The command table and what is generated from it: `streams help --json` lists exactly the commands
this test expects, and each one is in each consumer of the table: the usage (`streams help`), the
dispatch (the command runs, or fails as that command, never as an unknown one), and the completion
script (`streams completion bash|zsh`), with its own options. The completion also offers the global
options, --type and --format values, and file names where files go (run in bash with COMP_WORDS set as
bash sets them).

usage: completion_test.py STREAMS_BINARY
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

STREAMS = sys.argv[1]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, finish  # noqa: E402


def complete(script, line, cwd):
    """The words bash would offer at the end of `line` (a trailing space starts a new word)."""
    words = line.split()
    if line.endswith(" "):
        words.append("")
    program = (script + "\nCOMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ")\n"
               f"COMP_CWORD={len(words) - 1}\n_streams\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, cwd=cwd, timeout=30)
    return sorted(w for w in result.stdout.splitlines() if w)


# Every command of `streams`: a command missing from the table (or added without a test) fails here.
EXPECTED = {"demo", "selfcheck", "vectors", "completion", "help", "author", "subscriber", "info", "announce",
            "receive-announce", "subscribe", "unsubscribe", "receive-subscribe", "receive-unsubscribe", "store-psk",
            "keyload", "signed", "tagged", "fetch", "export", "import"}


def check_table(script, directory):
    table = json.loads(subprocess.run([STREAMS, "help", "--json"], capture_output=True, text=True, check=True).stdout)
    names = [c["name"] for c in table["commands"]]
    check(set(names) == EXPECTED and len(names) == len(EXPECTED),
          f"the table lists every command once (extra {sorted(set(names) - EXPECTED)}, "
          f"missing {sorted(EXPECTED - set(names))})")
    usage = subprocess.run([STREAMS, "help"], capture_output=True, text=True)
    check(usage.returncode == 0, "streams help exits 0")
    check(subprocess.run([STREAMS, "--help"], capture_output=True, text=True).stdout == usage.stdout,
          "streams --help is streams help")
    listed = set(re.findall(r"^  [ *]([a-z][a-z-]+)", usage.stdout, re.MULTILINE))
    check(listed == EXPECTED, f"the usage lists every command (missing {sorted(EXPECTED - listed)})")
    for option in table["global_options"]:
        check(re.search(rf"^  {option['name']}\b", usage.stdout, re.MULTILINE) is not None,
              f"the usage lists {option['name']}")
    offered = complete(script, "streams ", directory)
    check(EXPECTED <= set(offered), f"every command completes (missing {sorted(EXPECTED - set(offered))})")
    check({o["name"] for o in table["global_options"]} <= set(offered), "every global option completes")
    for command in table["commands"]:
        name = command["name"]
        after = complete(script, f"streams {name} ", directory)
        if command["subcommands"]:
            check(after == sorted(command["subcommands"]), f"{name}: its sub-commands complete ({after})")
            if name != "vectors":
                after = complete(script, f"streams {name} {command['subcommands'][0]} --", directory)
        else:
            after = complete(script, f"streams {name} --", directory)
        if name != "vectors":
            check(after == sorted(command["options"]), f"{name}: its options complete ({after})")
        # Dispatch: a misuse of the command is that command's usage error, not an unknown command.
        if command["state"]:  # the table's own check of its options, then the handler
            args = ["--no-password", "--state", os.path.join(directory, "none.state"), name, "--no-such-option", "x"]
        else:
            args = [name, "--no-such-option"] if name != "selfcheck" else [name, "extra"]
        result = subprocess.run([STREAMS, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        expected = "unknown option --no-such-option" if command["state"] else "usage"
        check(result.returncode == 2 and expected in result.stderr and "unknown command" not in result.stderr,
              f"{name}: dispatched (exit {result.returncode}: {result.stderr.strip()[:80]})")
    result = subprocess.run([STREAMS, "no-such-command"], capture_output=True, text=True)
    check(result.returncode == 2 and "unknown command 'no-such-command'" in result.stderr, "an unknown command")


def main():
    script = subprocess.run([STREAMS, "completion", "bash"], capture_output=True, text=True, check=True).stdout
    with tempfile.TemporaryDirectory() as directory:
        for name in ("alpha.state", "beta.seed"):
            open(os.path.join(directory, name), "w").close()
        check_table(script, directory)
        check(complete(script, "streams au", directory) == ["author"], "a command word completes")
        check(complete(script, "streams author ", directory) == ["create"], "author -> create")
        check(complete(script, "streams --state alpha.state author create --", directory) ==
              ["--seed", "--seed-file", "--type"], "author create options")
        check(complete(script, "streams author create --type single-", directory) == ["single-branch", "single-depth"],
              "--type values")
        check(complete(script, "streams --state al", directory) == ["alpha.state"], "--state completes file names")
        check(complete(script, "streams subscriber create --seed-file be", directory) == ["beta.seed"],
              "--seed-file completes file names")
        check(complete(script, "streams --no-password --node http://x keyload LINK --p", directory) == ["--pk", "--psk"],
              "options after global options and a positional")
        check(complete(script, "streams export out.state --format o", directory) == ["official"], "--format values")
        check(complete(script, "streams completion ", directory) == ["bash", "zsh"], "completion bash|zsh")
    code = subprocess.run([STREAMS, "completion", "fish"], capture_output=True).returncode
    check(code == 2, "an unknown shell is a usage error")
    zsh = subprocess.run([STREAMS, "completion", "zsh"], capture_output=True, text=True).stdout
    check("bashcompinit" in zsh and "complete -F _streams streams" in zsh, "the zsh script uses bash emulation")
    if shutil.which("zsh"):
        result = subprocess.run(["zsh", "-fc", zsh], capture_output=True, text=True, timeout=60)
        check(result.returncode == 0, f"zsh loads its script ({result.stderr.strip()})")
    return finish("completion")


if __name__ == "__main__":
    sys.exit(main())
