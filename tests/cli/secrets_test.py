#!/usr/bin/env python3
"""How the `streams` CLI takes its secrets: the state password from --password-file, $STREAMS_PASSWORD or
a prompt on the terminal (no echo), seeds and PSK seeds from --seed-file (a file or standard input) or
the prompt; --password, --seed and a PSK seed argument still work with a warning; without a password the
state is not written unless --no-password says so.

usage: secrets_test.py STREAMS_BINARY
"""
import os
import pty
import re
import select
import subprocess
import sys
import tempfile

STREAMS = sys.argv[1]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, finish  # noqa: E402

WARNING = "visible to every user"


class Cli:
    def __init__(self, directory):
        self.directory = directory

    def path(self, name):
        return os.path.join(self.directory, name)

    def write(self, name, text, mode=0o600):
        with open(self.path(name), "w") as f:
            f.write(text)
        os.chmod(self.path(name), mode)
        return self.path(name)

    def run(self, state, *args, password=None, stdin_text=None):
        """(exit code, stdout, stderr); the password, if any, through the environment; stdin not a terminal."""
        env = {k: v for k, v in os.environ.items() if k != "STREAMS_PASSWORD"}
        if password is not None:
            env["STREAMS_PASSWORD"] = password
        result = subprocess.run([STREAMS, "--state", state, *args], cwd=self.directory, capture_output=True,
                                text=True, timeout=120, env=env,
                                input=stdin_text if stdin_text is not None else "")
        return result.returncode, result.stdout.strip(), result.stderr.strip()

    def state(self, name):
        try:
            with open(self.path(name), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def on_terminal(self, state, *args, answers=()):
        """Runs with a pseudo-terminal as stdin/stdout/stderr, typing each answer after its prompt.
        Returns (exit code, everything the terminal showed)."""
        env = {k: v for k, v in os.environ.items() if k != "STREAMS_PASSWORD"}
        main, secondary = pty.openpty()
        process = subprocess.Popen([STREAMS, "--state", state, *args], cwd=self.directory, stdin=secondary,
                                   stdout=secondary, stderr=secondary, env=env, close_fds=True)
        os.close(secondary)
        shown = b""
        since = 0  # answer only a prompt shown after the last answer (not the echo of its newline)
        pending = list(answers)
        while True:
            ready, _, _ = select.select([main], [], [], 30)
            if not ready:
                process.kill()
                break
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the program closed the terminal (exited)
                break
            if not chunk:
                break
            shown += chunk
            if pending and shown[since:].rstrip().endswith(b":"):
                os.write(main, pending.pop(0).encode() + b"\n")
                since = len(shown)
        os.close(main)
        return process.wait(timeout=60), shown.decode(errors="replace")


def passwords(cli):
    password_file = cli.write("pw.txt", "file password\n")
    code, channel, err = cli.run("a.state", "--password-file", password_file, "author", "create",
                                 "--seed-file", cli.write("seed.txt", "secret author seed\n"))
    check(code == 0 and re.fullmatch(r"[0-9a-f]{80}", channel) is not None, f"--password-file creates a state ({err})")
    check(WARNING not in err, "--password-file and --seed-file: no warning")
    code, out, _ = cli.run("a.state", "info", password="file password")
    check(code == 0 and channel in out, "the state is protected by the file's first line (read with $STREAMS_PASSWORD)")
    code, _, err = cli.run("a.state", "info", password="another")
    check(code == 1 and "password" in err, "a wrong $STREAMS_PASSWORD is refused")

    code, out, err = cli.run("a.state", "--password", "file password", "info")
    check(code == 0 and channel in out, "--password on the command line still works")
    check(WARNING in err and "--password" in err, "--password warns that other users can see it")
    code, _, err = cli.run("a.state", "--password", "file password", "receive-announce", "nothex")
    check(code == 1 and err.startswith("error: ") and err.splitlines()[-1].startswith("warning: "),
          "a failing command's error comes first, the warning after it")

    code, _, err = cli.run("a.state", "--password-file", cli.path("missing.txt"), "info")
    check(code == 1 and "missing.txt" in err, "a missing --password-file is named")
    code, _, err = cli.run("a.state", "--password-file", cli.write("empty.txt", "\n"), "info")
    check(code == 1 and "empty" in err, "an empty --password-file is refused")
    code, _, err = cli.run("a.state", "--password-file", "-", "info", stdin_text="file password\n")
    check(code == 0, f"--password-file - reads standard input ({err})")
    _, _, err = cli.run("a.state", "--password-file", cli.write("open.txt", "file password\n", 0o644), "info")
    check("readable by other users" in err, "a password file others can read gets a warning")
    code, _, err = cli.run("a.state", "--no-password", "--password-file", password_file, "info")
    check(code == 2 and "--no-password" in err, "--no-password with a password is a usage error")
    return channel


def seeds(cli, channel):
    code, by_argument, err = cli.run("b.state", "author", "create", "--seed", "secret author seed", password="pw")
    check(code == 0 and by_argument == channel, "--seed S gives the same channel as --seed-file")
    check(WARNING in err and "--seed" in err, "--seed warns that other users can see it")
    code, by_stdin, err = cli.run("c.state", "author", "create", "--seed-file", "-", password="pw",
                                  stdin_text="secret author seed\n")
    check(code == 0 and by_stdin == channel and WARNING not in err, "--seed-file - reads the seed from standard input")
    code, pk_file, _ = cli.run("s.state", "subscriber", "create", "--seed-file", cli.write("sub.txt", "sub seed"),
                               password="pw")
    code2, pk_arg, _ = cli.run("s2.state", "subscriber", "create", "--seed", "sub seed", password="pw")
    check(code == 0 and code2 == 0 and pk_file == pk_arg, "subscriber create --seed-file (no final newline) = --seed")
    code, _, err = cli.run("d.state", "subscriber", "create", password="pw")
    check(code == 2 and "--seed-file" in err and cli.state("d.state") is None,
          "no seed and no terminal: a usage error naming --seed-file, no state written")

    # PSKs on three authors of the same channel (b, c and e were made from the same seed).
    cli.run("e.state", "author", "create", "--seed-file", cli.path("seed.txt"), password="pw")
    code, id_file, err = cli.run("b.state", "store-psk", "--seed-file", cli.write("psk.txt", "psk seed\n"), password="pw")
    check(code == 0 and re.fullmatch(r"[0-9a-f]{32}", id_file) is not None and WARNING not in err,
          f"store-psk --seed-file ({err})")
    code, id_stdin, _ = cli.run("c.state", "store-psk", "--seed-file", "-", password="pw", stdin_text="psk seed\n")
    check(code == 0 and id_stdin == id_file, "store-psk --seed-file - reads standard input")
    code, id_arg, err = cli.run("e.state", "store-psk", "psk seed", password="pw")
    check(code == 0 and id_arg == id_file and WARNING in err, "store-psk PSK_SEED works and warns")
    before = cli.state("c.state")
    code, _, err = cli.run("c.state", "store-psk", password="pw")
    check(code == 2 and cli.state("c.state") == before, "store-psk without a seed or terminal: refused, state unchanged")


def no_password(cli):
    seed = cli.write("n.txt", "unprotected seed\n")
    code, _, err = cli.run("n.state", "author", "create", "--seed-file", seed)
    check(code == 2 and "no password" in err and "--no-password" in err, "no password: refused, naming --no-password")
    check(cli.state("n.state") is None, "no password: no state file written")
    code, _, err = cli.run("n.state", "--no-password", "author", "create", "--seed-file", seed)
    check(code == 0, f"--no-password writes the state ({err})")
    code, out, _ = cli.run("n.state", "info")
    check(code == 0 and '"role":"author"' in out, "info reads an unprotected state without options")
    before = cli.state("n.state")
    code, _, err = cli.run("n.state", "announce")
    check(code == 2 and "no password" in err and cli.state("n.state") == before,
          "announce without a password or --no-password: refused before sending, state unchanged")
    code, link, _ = cli.run("n.state", "--no-password", "announce")
    check(code == 0 and ":" in link, "announce with --no-password")


def terminal(cli):
    code, shown = cli.on_terminal("t.state", "author", "create", answers=["typed password", "typed seed"])
    check(code == 0, "author create asks for the password and the seed on a terminal" + ("" if code == 0 else repr(shown)))
    check("password for" in shown and "seed:" in shown, "the prompts are shown")
    check("typed password" not in shown and "typed seed" not in shown, "what is typed is not echoed")
    code, out, _ = cli.run("t.state", "info", password="typed password")
    check(code == 0, "the typed password protects the state")
    _, expected, _ = cli.run("u.state", "author", "create", "--seed", "typed seed", password="x")
    check(out.find(expected) >= 0 and expected != "", "the typed seed made the channel")
    code, shown = cli.on_terminal("t.state", "store-psk", answers=["typed password", "typed psk seed"])
    shown = shown.replace("\r", "")
    check(code == 0 and "PSK seed:" in shown and "typed psk seed" not in shown, "store-psk asks for the PSK seed")


def main():
    with tempfile.TemporaryDirectory() as directory:
        cli = Cli(directory)
        channel = passwords(cli)
        seeds(cli, channel)
        no_password(cli)
        terminal(cli)
    return finish("secrets")


if __name__ == "__main__":
    sys.exit(main())
