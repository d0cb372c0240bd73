#!/usr/bin/env python3
"""`streams completion bash|zsh`: the script completes every command the usage lists, the global and
per-command options, --type and --format values, and file names where files go (run in bash with
COMP_WORDS set as bash sets them).

usage: completion_test.py STREAMS_BINARY
"""
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


def main():
    script = subprocess.run([STREAMS, "completion", "bash"], capture_output=True, text=True, check=True).stdout
    usage = subprocess.run([STREAMS, "help"], capture_output=True, text=True).stderr
    usage = usage.split("defaults:")[0]  # the command lines; prose about defaults and secrets follows
    commands = set(re.findall(r"(?:^  |\| )([a-z][a-z-]+)(?=\s|$)", usage, re.MULTILINE))
    check(len(commands) >= 20, f"the usage lists the commands ({len(commands)})")
    with tempfile.TemporaryDirectory() as directory:
        for name in ("alpha.state", "beta.seed"):
            open(os.path.join(directory, name), "w").close()
        offered = complete(script, "streams ", directory)
        missing = sorted(commands - set(offered))
        check(not missing, f"every command of the usage completes (missing: {missing})")
        check("--state" in offered and "--password-file" in offered, "global options complete")
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
