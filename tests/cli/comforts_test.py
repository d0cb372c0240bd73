#!/usr/bin/env python3
"""The CLI's comforts: `fetch --follow` (a message posted while following is printed; other commands
on the same state run meanwhile, the lock being taken per batch; SIGINT and SIGTERM end it with the
state saved and exit 0; --count and --until-idle end it; a node that cannot be read ends it with a
non-zero exit after --retries attempts), `--json` on every command that prints (each output and error
parsed with a JSON parser; the tools selfcheck, demo and vectors too), and the progress line on
stderr: drawn on a terminal (a pseudo-terminal here), never in a pipe, never with --json.

usage: comforts_test.py STREAMS_BINARY
"""
import json
import os
import pty
import queue
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading

STREAMS = sys.argv[1]
ADDRESS = re.compile(r"^[0-9a-f]{80}:[0-9a-f]{24}$")
WAIT = 120  # seconds to wait for an event that must happen (a bound for a hung program, not a measure)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import check, finish  # noqa: E402


class Cli:
    def __init__(self, directory):
        self.directory = directory
        self.env = dict(os.environ, STREAMS_PASSWORD="pw")

    def command(self, state, *args):
        return [STREAMS, "--state", state, "--store", "streams.db", *args]

    def run(self, state, *args, **kwargs):
        return subprocess.run(self.command(state, *args), cwd=self.directory, capture_output=True, text=True,
                              timeout=WAIT, env=self.env, stdin=subprocess.DEVNULL, **kwargs)

    def ok(self, state, *args):
        result = self.run(state, *args)
        if result.returncode != 0:
            raise SystemExit(f"FAIL streams {' '.join(args)}: exit {result.returncode}: {result.stderr.strip()}")
        return result.stdout.strip()

    def json(self, state, *args):
        """A command with --json: one JSON object on stdout (parsed), nothing on stderr."""
        result = self.run(state, "--json", *args) if args[0] != "author" else self.run(state, *args, "--json")
        check(result.returncode == 0 and result.stderr == "", f"{args[0]} --json: exit 0, quiet stderr "
              f"({result.returncode}: {result.stderr.strip()})")
        lines = result.stdout.splitlines()
        check(len(lines) == 1, f"{args[0]} --json: one line ({lines})")
        return json.loads(lines[0]) if lines else {}

    def follow(self, state, *args, store_args=None):
        return subprocess.Popen(self.command(state, "fetch", "--follow", *args), cwd=self.directory,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env,
                                stdin=subprocess.DEVNULL)


def lines_of(stream):
    """A queue that receives each line of `stream` as it is written (None at its end)."""
    lines = queue.Queue()

    def read():
        for line in stream:
            lines.put(line)
        lines.put(None)
    threading.Thread(target=read, daemon=True).start()
    return lines


def next_line(lines):
    try:
        return lines.get(timeout=WAIT)
    except queue.Empty:
        return None


def seed_file(cli, name, seed):
    path = os.path.join(cli.directory, name)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write(seed + "\n")
    return name


def json_on_every_command(cli):
    channel = cli.json("author.state", "author", "create", "--seed-file", seed_file(cli, "a.seed", "comforts author"),
                       "--type", "multi-branch")
    check(set(channel) == {"channel"} and len(channel["channel"]) == 80, f"author create --json ({channel})")
    sub = cli.json("sub.state", "subscriber", "create", "--seed-file", seed_file(cli, "s.seed", "comforts reader"))
    check(set(sub) == {"public_key"} and len(sub["public_key"]) == 64, f"subscriber create --json ({sub})")
    info = cli.json("author.state", "info")
    check(info["role"] == "author" and info["channel"] == channel["channel"], "info --json")
    announce = cli.json("author.state", "announce")
    check(set(announce) == {"address"} and ADDRESS.match(announce["address"]), f"announce --json ({announce})")
    received = cli.run("sub.state", "--json", "receive-announce", announce["address"])
    check(received.returncode == 0 and received.stdout == "", "receive-announce --json prints nothing")
    subscription = cli.json("sub.state", "subscribe", announce["address"])
    check(set(subscription) == {"address"}, f"subscribe --json ({subscription})")
    cli.ok("author.state", "receive-subscribe", subscription["address"])
    psk = cli.run("author.state", "--json", "store-psk", "comforts psk")
    psk_lines = [json.loads(line) for line in psk.stderr.splitlines()]
    check(psk.returncode == 0 and len(json.loads(psk.stdout)["psk_id"]) == 32, "store-psk --json")
    check(len(psk_lines) == 1 and "visible to every user" in psk_lines[0].get("warning", ""),
          f"a secret on the command line: the warning is a JSON object on stderr ({psk.stderr.strip()})")
    keyload = cli.json("author.state", "keyload", announce["address"])
    check(list(keyload) == ["address", "sequence"] and ADDRESS.match(keyload["address"])
          and ADDRESS.match(keyload["sequence"]), f"keyload --json: address and sequence ({keyload})")
    signed = cli.json("author.state", "signed", keyload["address"], "public", "masked")
    check(list(signed) == ["address", "sequence"] and ADDRESS.match(signed["sequence"]), "signed --json")
    tagged = cli.json("author.state", "tagged", signed["address"], "00ff", "a1b2", "--hex")
    check(list(tagged) == ["address", "sequence"], "tagged --json (the flag after the arguments)")
    fetched = cli.run("sub.state", "--json", "fetch")
    messages = [json.loads(line) for line in fetched.stdout.splitlines()]
    check(fetched.returncode == 0 and [m["address"] for m in messages if m["type"] != "sequence"][-3:] ==
          [keyload["address"], signed["address"], tagged["address"]], "fetch --json: one object per message")
    check([m["masked"] for m in messages][-2:] == ["masked".encode().hex(), "a1b2"], "fetch --json payloads")
    unsubscribe = cli.json("sub.state", "unsubscribe", signed["address"])
    check(set(unsubscribe) == {"address"}, "unsubscribe --json")
    exported = cli.run("author.state", "--json", "export", "author.copy")
    check(exported.returncode == 0 and exported.stdout == "", "export --json prints nothing")
    help_json = subprocess.run([STREAMS, "--json", "help"], capture_output=True, text=True)
    check(help_json.returncode == 0 and "commands" in json.loads(help_json.stdout), "--json help")

    # Errors: one JSON object on stderr, the same exit codes as without --json.
    failed = cli.run("author.state", "--json", "signed", "nothex:00", "a", "b")
    error = json.loads(failed.stderr)
    check(failed.returncode == 1 and set(error) == {"error"} and "nothex" in error["error"] and failed.stdout == "",
          f"a failure with --json: exit 1 and {{\"error\"}} on stderr ({failed.stderr.strip()})")
    usage = cli.run("author.state", "signed", "--json")
    check(usage.returncode == 2 and "usage" in json.loads(usage.stderr)["error"], "a usage error with --json: exit 2")
    unknown = cli.run("author.state", "--json", "frobnicate")
    check(unknown.returncode == 2 and "frobnicate" in json.loads(unknown.stderr)["error"], "an unknown command")
    plain = cli.run("author.state", "signed", "nothex:00", "a", "b")
    check(plain.returncode == 1 and plain.stderr.startswith("error: "), "without --json errors stay text")
    return announce["address"], signed["address"]


def follow_prints_what_arrives(cli, last):
    process = cli.follow("sub.state", "--max-interval", "0.5")
    lines = lines_of(process.stdout)
    # Another command on the same state while following: the lock is held per batch only.
    reply = cli.run("sub.state", "--lock-wait", "60", "tagged", last, "", "from the follower's state")
    check(reply.returncode == 0, f"a command on the followed state runs meanwhile ({reply.stderr.strip()})")
    posted = cli.ok("author.state", "signed", last, "while following", "followed")
    message = None
    while True:  # the lines before it (if any) are the earlier messages
        line = next_line(lines)
        if line is None:
            break
        message = json.loads(line)
        if message["address"] == posted.split()[0]:
            break
    check(message is not None and message["masked"] == "followed".encode().hex(),
          "a message posted while following is printed")
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=WAIT)
    stderr = process.stderr.read()
    check(code == 0, f"SIGINT ends --follow with exit 0 ({code}: {stderr.strip()})")
    check(cli.ok("sub.state", "fetch") == "", "the state was saved: a fetch after it finds nothing new")

    # SIGTERM the same way, while waiting; then a message after it is read by the next fetch.
    process = cli.follow("sub.state", "--max-interval", "0.2")
    lines = lines_of(process.stdout)
    cli.ok("author.state", "signed", last, "", "before the SIGTERM")
    line = next_line(lines)
    check(line is not None and json.loads(line)["masked"] == "before the SIGTERM".encode().hex(),
          "the follower prints the next message")
    process.send_signal(signal.SIGTERM)
    check(process.wait(timeout=WAIT) == 0, "SIGTERM ends --follow with exit 0")
    check(cli.ok("sub.state", "fetch") == "", "saved at SIGTERM")

    # --count and --until-idle end it on their own.
    cli.ok("author.state", "signed", last, "", "one")
    cli.ok("author.state", "signed", last, "", "two")
    counted = cli.run("sub.state", "fetch", "--follow", "--count", "1", "--max-interval", "0.2")
    check(counted.returncode == 0 and len(counted.stdout.splitlines()) >= 1, "--count 1 ends after a batch")
    idle = cli.run("sub.state", "fetch", "--follow", "--until-idle", "0.5", "--max-interval", "0.2")
    check(idle.returncode == 0 and idle.stdout == "", "--until-idle ends with nothing new (and prints nothing)")
    bad = cli.run("sub.state", "fetch", "--count", "1")
    check(bad.returncode == 2 and "--follow" in bad.stderr, "--count without --follow is a usage error")
    bad = cli.run("sub.state", "fetch", "--follow", "--count", "-1")
    check(bad.returncode == 2, "--count must be a whole number")


def follow_gives_up_on_a_dead_node(cli):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = open(os.path.join(cli.directory, "sub.state"), "rb").read()
    result = subprocess.run([STREAMS, "--state", "sub.state", "--node", f"http://127.0.0.1:{port}", "--timeout", "5",
                             "fetch", "--follow", "--retries", "2", "--max-interval", "0.2"],
                            cwd=cli.directory, capture_output=True, text=True, timeout=WAIT, env=cli.env,
                            stdin=subprocess.DEVNULL)
    stderr = result.stderr.strip().splitlines()
    check(result.returncode == 1, f"a node that cannot be read ends --follow with exit 1 ({result.returncode})")
    check(len([line for line in stderr if line.startswith("warning: cannot read the channel (attempt")]) == 2,
          f"each retry is reported ({stderr})")
    check(stderr and stderr[-1].startswith("error: ") and "gave up after 3 attempts" in stderr[-1],
          f"the error says it gave up after the retries ({stderr[-1] if stderr else ''})")
    check(open(os.path.join(cli.directory, "sub.state"), "rb").read() == before, "the state is unchanged")
    result = subprocess.run([STREAMS, "--json", "--state", "sub.state", "--node", f"http://127.0.0.1:{port}",
                             "fetch", "--follow", "--retries", "0"], cwd=cli.directory, capture_output=True,
                            text=True, timeout=WAIT, env=cli.env, stdin=subprocess.DEVNULL)
    errors = [json.loads(line) for line in result.stderr.splitlines()]
    check(result.returncode == 1 and len(errors) == 1 and "error" in errors[0], "--retries 0 with --json: one error")


def on_a_terminal(cli, *args):
    """Runs a command with stderr on a pseudo-terminal (stdout a pipe): (exit code, what the terminal got)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(cli.command(*args), cwd=cli.directory, stdout=subprocess.PIPE, stderr=follower,
                               stdin=subprocess.DEVNULL, env=cli.env)
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], WAIT)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the program closed its side
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    process.stdout.read()
    return process.wait(timeout=WAIT), seen.decode(errors="replace")


def progress_lines(cli, last):
    code, terminal = on_a_terminal(cli, "author.state", "signed", last, "", "with progress")
    check(code == 0 and "publishing" in terminal, f"a publish on a terminal draws a progress line ({terminal!r})")
    check(terminal.endswith("\r\033[K"), "the progress line is erased at the end")
    code, terminal = on_a_terminal(cli, "sub.state", "fetch")
    check(code == 0 and "fetching" in terminal, f"a fetch on a terminal draws a progress line ({terminal!r})")
    code, terminal = on_a_terminal(cli, "author.state", "--json", "signed", last, "", "json")
    check(code == 0 and terminal == "", f"no progress line with --json ({terminal!r})")
    piped = cli.run("author.state", "signed", last, "", "piped")
    check(piped.returncode == 0 and piped.stderr == "", f"no progress line in a pipe ({piped.stderr!r})")
    piped = cli.run("sub.state", "fetch")
    check(piped.returncode == 0 and piped.stderr == "", "no progress line for a fetch in a pipe")


def json_of_the_tools():
    """selfcheck, demo and vectors print JSON lines with --json too (each line parsed)."""
    vectors = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors", "official", "multi-branch.json")
    for args, last in ((["selfcheck", "--json"], {"passed": True}),
                       (["--json", "demo", "--type", "multi-branch"], None),
                       (["vectors", "check", vectors, "--json"], None),
                       (["vectors", "parse", vectors, "--json"], None)):
        result = subprocess.run([STREAMS, *args], capture_output=True, text=True, timeout=WAIT)
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        check(result.returncode == 0 and len(lines) > 1, f"{' '.join(args[:2])}: JSON lines ({len(lines)})")
        if last is not None:
            check(lines[-1] == last, f"selfcheck --json ends with {last}")
        if "demo" in args:
            check(lines[-1]["completed"] is True and lines[-1]["type"] == "multi-branch"
                  and all("step" in line for line in lines[:-1]), "demo --json: the steps, then the summary")
        if "check" in args:
            check(lines[-1]["failed"] == 0 and lines[-1]["checks"] == len(lines) - 1
                  and all(line["ok"] for line in lines[:-1]), "vectors check --json: every check, then the count")
        if "parse" in args:
            check(all(line["error"] is None and len(line["address"]) == 105 for line in lines),
                  "vectors parse --json: one object per message")


def main():
    with tempfile.TemporaryDirectory() as directory:
        cli = Cli(directory)
        _, last = json_on_every_command(cli)
        cli.ok("sub.state", "fetch")
        follow_prints_what_arrives(cli, last)
        follow_gives_up_on_a_dead_node(cli)
        progress_lines(cli, last)
    json_of_the_tools()
    return finish("comforts")


if __name__ == "__main__":
    sys.exit(main())
