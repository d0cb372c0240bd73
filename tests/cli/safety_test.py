#!/usr/bin/env python3
"""The `streams` CLI when the world is not polite (issue 10): answers lost after the node stored the
message, a state file that cannot be written, SIGKILLs at random moments, eight commands at once on one
state, `subscribe` twice, `keyload --pk` for a stranger, and hostile or silent nodes. Afterwards no index
holds two different messages, and every message acknowledged (its address printed) is read.

usage: safety_test.py STREAMS_BINARY STREAMS_NODE_BINARY
"""
import http.server
import json
import os
import random
import re
import resource
import signal
import socketserver
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

STREAMS, STREAMS_NODE = sys.argv[1], sys.argv[2]
ADDRESS = re.compile(r"^[0-9a-f]{80}:[0-9a-f]{24}$")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import StreamsNode, check, finish, index_of  # noqa: E402

rng = random.Random(10)  # the kill moments: fixed, so that a failure replays


class Cli:
    def __init__(self, directory, transport):
        self.directory = directory
        self.transport = transport  # ["--node", URL] or ["--store", FILE]

    def command(self, state, *args, transport=None, options=()):
        return [STREAMS, "--state", state, "--password", "pw", *(transport or self.transport), *options, *args]

    def run(self, state, *args, timeout=120, **kwargs):
        return subprocess.run(self.command(state, *args, **kwargs), cwd=self.directory, capture_output=True,
                              text=True, timeout=timeout)

    def ok(self, state, *args, **kwargs):
        result = self.run(state, *args, **kwargs)
        if result.returncode != 0:
            raise SystemExit(f"FAIL streams {' '.join(args)}: exit {result.returncode}: {result.stderr.strip()}")
        return result.stdout.strip()

    def fetch(self, state, **kwargs):
        return [json.loads(line) for line in self.ok(state, "fetch", **kwargs).splitlines() if line]


def hexed(text):
    return text.encode().hex()


def streams_data(raw):
    """The Streams message inside a Chrysalis indexation message (network id, parents, payload length,
    payload type, index, data, nonce)."""
    p = 8
    p += 1 + 32 * raw[p]
    p += 4 + 4  # payload length, payload type
    p += 2 + int.from_bytes(raw[p:p + 2], "little")
    length = int.from_bytes(raw[p:p + 4], "little")
    return bytes(raw[p + 4:p + 4 + length])


def indexes_with_two_messages(db):
    """Indexes of the node's store where two different Streams messages sit (copies count as one)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT idx, raw FROM messages WHERE idx IS NOT NULL").fetchall()
    at = {}
    for index, raw in rows:
        at.setdefault(bytes(index), set()).add(streams_data(raw))
    return [index.hex() for index, distinct in at.items() if len(distinct) > 1]


def message_count(db):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT count(*) FROM messages").fetchone()[0]


def multi_branch_channel(cli, prefix):
    """An author, one subscriber in its keyload; returns the keyload's address (packets link to it)."""
    cli.ok(f"{prefix}-author.state", "author", "create", "--seed", f"{prefix} author", "--type", "multi-branch")
    cli.ok(f"{prefix}-sub.state", "subscriber", "create", "--seed", f"{prefix} subscriber")
    announcement = cli.ok(f"{prefix}-author.state", "announce")
    cli.ok(f"{prefix}-sub.state", "receive-announce", announcement)
    cli.ok(f"{prefix}-author.state", "receive-subscribe", cli.ok(f"{prefix}-sub.state", "subscribe", announcement))
    return cli.ok(f"{prefix}-author.state", "keyload", announcement).split(" ")[0]


def masked_read(cli, state):
    return [(m["address"], m["masked"]) for m in cli.fetch(state) if m["type"] == "signed"]


# ---- a proxy in front of streams-node that forwards POSTs and, while `drop` is set, drops the answer ----

class DroppingProxy:
    def __init__(self, node_url):
        self.node_url = node_url
        self.drop = False
        self.dropped = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def forward(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                request = urllib.request.Request(proxy.node_url + self.path, data=body, method=method)
                if self.headers.get("Content-Type"):
                    request.add_header("Content-Type", self.headers["Content-Type"])
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:
                        status, payload, kind = answer.status, answer.read(), answer.headers.get("Content-Type")
                except urllib.error.HTTPError as e:
                    status, payload, kind = e.code, e.read(), e.headers.get("Content-Type")
                if method == "POST" and proxy.drop:
                    proxy.dropped += 1
                    self.close_connection = True  # the node has the message; the client hears nothing
                    return
                self.send_response(status)
                self.send_header("Content-Type", kind or "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                self.forward("GET")

            def do_POST(self):
                self.forward("POST")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def lost_answers(directory, node, db):
    proxy = DroppingProxy(node.url)
    try:
        cli = Cli(directory, ["--node", proxy.url])
        keyload = multi_branch_channel(cli, "lost")
        proxy.drop = True
        first = cli.run("lost-author.state", "signed", keyload, "p", "first")
        proxy.drop = False
        check(first.returncode != 0 and proxy.dropped >= 1, "a send whose answer is lost fails (exit "
              f"{first.returncode}: {first.stderr.strip()[:160]})")
        check("pending" in first.stderr, "and says the message stays pending")
        second = cli.ok("lost-author.state", "signed", keyload, "p", "second").split(" ")[0]
        check(indexes_with_two_messages(db) == [], "after the retry, no index holds two different messages")
        read = masked_read(cli, "lost-sub.state")
        check([m for _, m in read] == [hexed("first"), hexed("second")],
              "the subscriber reads the message whose answer was lost, once, then the next one")
        check(read[-1][0] == second, "at the address printed")
        # The same through a keyload (a random key in each build): lost, then delivered unchanged.
        proxy.drop = True
        check(cli.run("lost-author.state", "keyload", keyload).returncode != 0, "a keyload whose answer is lost fails")
        proxy.drop = False
        cli.ok("lost-author.state", "signed", keyload, "p", "third")
        check(indexes_with_two_messages(db) == [], "a keyload re-sent is the same keyload")
        check([m for _, m in masked_read(cli, "lost-sub.state")] == [hexed("third")], "and the reader goes on")
    finally:
        proxy.stop()


def failed_state_write(directory, node, db):
    cli = Cli(directory, ["--node", node.url])
    keyload = multi_branch_channel(cli, "full")
    before_state = open(os.path.join(directory, "full-author.state"), "rb").read()
    before_count = message_count(db)

    def disk_full():  # files of the command cannot grow past 64 bytes: writing the state fails (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    result = subprocess.run(cli.command("full-author.state", "signed", keyload, "p", "lost?"), cwd=directory,
                            capture_output=True, text=True, timeout=120, preexec_fn=disk_full)
    check(result.returncode == 1 and "cannot write" in result.stderr,
          f"a state that cannot be written fails the command ({result.stderr.strip()[:160]})")
    check(message_count(db) == before_count, "and nothing was published")
    check(open(os.path.join(directory, "full-author.state"), "rb").read() == before_state, "the state is unchanged")
    check([f for f in os.listdir(directory) if ".tmp." in f] == [], "no temporary file is left behind")
    full_disk(cli, directory, db, keyload)
    cli.ok("full-author.state", "signed", keyload, "p", "written")
    check(indexes_with_two_messages(db) == [], "no index holds two different messages")
    check([m for _, m in masked_read(cli, "full-sub.state")] == [hexed("written")], "the subscriber reads the send")


# In a mount namespace of its own: a full tmpfs holding a copy of the state, the command run on that copy.
FULL_DISK = r"""
set -e
mount -t tmpfs -o size=64k tmpfs "$1"
cp "$2" "$1/full.state"
dd if=/dev/zero of="$1/filler" bs=4k count=64 2>/dev/null || true
cd "$1"
set +e
shift 2
"$@" 2>"$MOUNT_ERR"
echo "exit=$?"
cmp -s "$STATE_COPY" full.state && echo "state unchanged"
"""


def full_disk(cli, directory, db, keyload):
    """The same on a really full file system, where one can be mounted (root in CI: a tmpfs in a mount
    namespace of the command's own)."""
    mount = os.path.join(directory, "full-disk")
    os.makedirs(mount, exist_ok=True)
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs tmpfs '{mount}'"], capture_output=True)
    if probe.returncode != 0:
        print("     (no tmpfs can be mounted here: the full disk is the file size limit above)", flush=True)
        return
    before_count = message_count(db)
    state = os.path.join(directory, "full-author.state")
    err = os.path.join(directory, "full-disk.err")
    command = cli.command("full.state", "signed", keyload, "p", "disk full?")
    result = subprocess.run(["unshare", "-m", "sh", "-c", FULL_DISK, "sh", mount, state, *command], cwd=mount,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "MOUNT_ERR": err, "STATE_COPY": state})
    with open(err) as f:
        stderr = f.read().strip()
    check("exit=1" in result.stdout and "No space left" in stderr,
          f"on a full disk the command fails ({stderr[:120]}; {result.stdout.strip()} {result.stderr.strip()[:80]})")
    check("state unchanged" in result.stdout, "and leaves the state as it was")
    check(message_count(db) == before_count, "and publishes nothing")


def kill_loop(directory, node, db, iterations=30):
    cli = Cli(directory, ["--node", node.url])
    keyload = multi_branch_channel(cli, "kill")
    start = time.monotonic()
    cli.ok("kill-author.state", "signed", keyload, "p", "warm-up")
    duration = time.monotonic() - start
    acknowledged = {}  # address -> payload
    killed = 0
    for i in range(iterations):
        payload = f"kill {i}"
        process = subprocess.Popen(cli.command("kill-author.state", "signed", keyload, "p", payload), cwd=directory,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0, duration * 2))
        process.kill()
        out, _ = process.communicate(timeout=120)
        if process.returncode == 0:
            acknowledged[out.split(" ")[0].strip()] = hexed(payload)
        else:
            killed += 1
    cli.ok("kill-author.state", "signed", keyload, "p", "after the kills")
    check([f for f in os.listdir(directory) if f.startswith("kill-author.state.tmp.")] == [],
          "no temporary state file is left once a command has run after the kills")
    print(f"     {iterations} sends, {killed} killed, {iterations - killed} acknowledged "
          f"(a send takes {duration:.2f} s)", flush=True)
    check(indexes_with_two_messages(db) == [], f"after {iterations} SIGKILLs no index holds two different messages")
    read = dict(masked_read(cli, "kill-sub.state"))
    missing = [a for a, m in acknowledged.items() if read.get(a) != m]
    check(missing == [], f"every acknowledged send is read by the subscriber ({len(acknowledged)} acknowledged)")
    check(0 < killed, "some sends were killed mid-way")


def eight_at_once(directory):
    cli = Cli(directory, ["--store", "eight.db"])
    keyload = multi_branch_channel(cli, "eight")
    processes = [subprocess.Popen(cli.command("eight-author.state", "signed", keyload, "p", f"at once {i}",
                                              options=("--lock-wait", "120")),
                                  cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in range(8)]
    acknowledged, refused = {}, []
    for i, process in enumerate(processes):
        out, err = process.communicate(timeout=300)
        if process.returncode == 0:
            acknowledged[out.split(" ")[0].strip()] = hexed(f"at once {i}")
        else:
            refused.append(err.strip())
    check(len(acknowledged) + len(refused) == 8 and all(r.startswith("error: ") for r in refused),
          f"eight concurrent sends: {len(acknowledged)} acknowledged, {len(refused)} refused with a reason")
    check(len(acknowledged) == 8, "with --lock-wait long enough, all eight are acknowledged")
    read = masked_read(cli, "eight-sub.state")
    check(len(set(a for a, _ in read)) == len(read) == len(acknowledged), "eight distinct addresses, each read once")
    check(all(dict(read).get(a) == m for a, m in acknowledged.items()),
          "every acknowledged send is read, its payload at its address")
    # The read order is the order of the author's sequence chain, which is the order the lock admitted them.
    with sqlite3.connect(os.path.join(directory, "eight.db")) as connection:
        arrival = [bytes(i).hex() for (i,) in connection.execute("SELECT idx FROM messages ORDER BY seq")]
    order = [arrival.index(index_of(a)) for a, _ in read]
    check(order == sorted(order), "read in the order they were published")

    # A command that cannot get the lock in time fails with a reason, and changes nothing.
    lock = open(os.path.join(directory, "eight-author.state.lock"), "a")
    import fcntl
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        blocked = cli.run("eight-author.state", "signed", keyload, "p", "blocked", options=("--lock-wait", "0.5"))
    finally:
        lock.close()
    check(blocked.returncode == 1 and "in use by another streams command" in blocked.stderr,
          f"a command that waits too long for the lock fails with a reason ({blocked.stderr.strip()[:120]})")


def subscribe_twice_and_strangers(directory):
    cli = Cli(directory, ["--store", "twice.db"])
    cli.ok("twice-author.state", "author", "create", "--seed", "twice author")
    cli.ok("twice-sub.state", "subscriber", "create", "--seed", "twice subscriber")
    announcement = cli.ok("twice-author.state", "announce")
    cli.ok("twice-sub.state", "receive-announce", announcement)
    first = cli.ok("twice-sub.state", "subscribe", announcement)
    second = cli.ok("twice-sub.state", "subscribe", announcement)
    check(first == second, "subscribe run twice prints the same address")
    with sqlite3.connect(os.path.join(directory, "twice.db")) as connection:
        count = connection.execute("SELECT count(*) FROM messages WHERE idx = ?",
                                   (bytes.fromhex(index_of(first)),)).fetchone()[0]
    check(count == 1, f"and the subscribe address holds one message ({count})")
    check(cli.run("twice-author.state", "receive-subscribe", first).returncode == 0,
          "the author accepts the subscription")

    stranger = "ab" * 32
    before = open(os.path.join(directory, "twice-author.state"), "rb").read()
    result = cli.run("twice-author.state", "keyload", announcement, "--pk", stranger)
    check(result.returncode == 1 and "no subscriber with public key" in result.stderr,
          f"keyload --pk with a key that is not a subscriber is an error ({result.stderr.strip()[:100]})")
    check(open(os.path.join(directory, "twice-author.state"), "rb").read() == before, "and changes nothing")
    subscriber_pk = json.loads(cli.ok("twice-sub.state", "info"))["pk"]
    check(ADDRESS.match(cli.ok("twice-author.state", "keyload", announcement, "--pk", subscriber_pk)) is not None,
          "keyload --pk with a subscriber's key works")


def temp_file_and_modes(directory):
    cli = Cli(directory, ["--store", "modes.db"])
    path = os.path.join(directory, "modes.state")
    cli.ok("modes.state", "author", "create", "--seed", "modes author")
    check(os.stat(path).st_mode & 0o777 == 0o600, "the state file is mode 0600")
    # Symlinks planted at the names the temporary file had (STATE.tmp.PID) for the next process ids are
    # never written through.
    victim = os.path.join(directory, "victim")
    with open(victim, "w") as f:
        f.write("untouched")
    with open("/proc/sys/kernel/ns_last_pid") as f:
        last_pid = int(f.read())
    for pid in range(last_pid + 1, last_pid + 400):
        try:
            os.symlink(victim, f"{path}.tmp.{pid}")
        except FileExistsError:
            pass
    cli.ok("modes.state", "announce")
    with open(victim, "rb") as f:
        check(f.read() == b"untouched", "a symlink at a temporary name is not followed")


# ---- hostile and silent nodes ----

class HostileNode:
    """A node that answers every request after /api/v1/info with a body that never ends (64 KiB chunks of
    '[' without a length, up to 512 MiB so that an unbounded client ends too); or, with a PoW score,
    answers as a node with an empty index that asks for that score; or never answers (silent)."""

    def __init__(self, min_pow_score=None, silent=False):
        node = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                if silent:
                    time.sleep(60)
                    return
                answer = None
                if self.path.startswith("/api/v1/info"):
                    answer = {"data": {"networkId": "streams-local", "minPoWScore": min_pow_score or 0}}
                elif min_pow_score is not None and self.path.startswith("/api/v1/tips"):
                    answer = {"data": {"tipMessageIds": ["11" * 32]}}
                elif min_pow_score is not None:
                    answer = {"data": {"messageIds": []}}
                if answer is not None:
                    body = json.dumps(answer).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"[" * 65536
                try:
                    for _ in range(8192):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        node.sent += len(chunk)
                except OSError:
                    pass
                self.close_connection = True

            do_POST = do_GET

        self.sent = 0
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def run_measured(command, cwd):
    """(exit code, stderr, peak RSS in MiB, seconds) of one command (callers bound it with timeout(1))."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except Exception:
        process.kill()
        raise
    stderr = process.stderr.read()
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, stderr.strip(), usage.ru_maxrss / 1024, time.monotonic() - start


def hostile_nodes(directory):
    store_cli = Cli(directory, ["--store", "hostile.db"])
    for name in ("greedy", "silent"):  # authors that announce through the hostile nodes
        store_cli.ok(f"{name}-author.state", "author", "create", "--seed", f"{name} author")
    store_cli.ok("hostile-author.state", "author", "create", "--seed", "hostile author")
    announcement = store_cli.ok("hostile-author.state", "announce")
    store_cli.ok("hostile-sub.state", "subscriber", "create", "--seed", "hostile subscriber")
    store_cli.ok("hostile-sub.state", "receive-announce", announcement)  # a reader in the channel
    store_cli.ok("fresh-sub.state", "subscriber", "create", "--seed", "fresh subscriber")

    def run_against(node, *args, options=()):
        command = Cli(directory, ["--node", node.url]).command(*args, options=options)
        return run_measured(["timeout", "-s", "KILL", "120", *command], directory)

    endless = HostileNode()
    try:
        code, err, rss, _ = run_against(endless, "fresh-sub.state", "receive-announce", announcement)
        print(f"     endless body: exit {code}, peak RSS {rss:.0f} MiB, {endless.sent >> 20} MiB sent", flush=True)
        check(code == 1 and "longer than" in err, f"an endless answer is a clear error ({err[:160]})")
        check(rss < 200, f"read with bounded memory (peak RSS {rss:.0f} MiB)")
    finally:
        endless.stop()

    greedy = HostileNode(min_pow_score=1e30)
    try:
        code, err, _, _ = run_against(greedy, "greedy-author.state", "announce")
        check(code == 1 and "asks for a PoW score" in err and "--max-pow-score" in err,
              f"a node asking for a PoW score of 1e30 is refused ({err[:160]})")
    finally:
        greedy.stop()

    silent = HostileNode(silent=True)
    try:
        # The default timeout is 30 s per request: ending well before it shows --timeout is the bound.
        for what, args in (("receive-announce", ("fresh-sub.state", "receive-announce", announcement)),
                           ("announce", ("silent-author.state", "announce"))):
            code, err, _, seconds = run_against(silent, *args, options=("--timeout", "1"))
            print(f"     silent node, {what} with --timeout 1: exit {code} after {seconds:.1f} s", flush=True)
            check(code == 1 and "1000 ms" in err and seconds < 15,
                  f"{what} against a silent node fails within its --timeout ({err[:160]})")
        code, err, _, seconds = run_against(silent, "hostile-sub.state", "fetch", options=("--timeout", "1"))
        print(f"     silent node, fetch with --timeout 1: exit {code} after {seconds:.1f} s", flush=True)
        check(code != 2 and seconds < 15, f"fetch against a silent node ends within its --timeout ({err[:160]})")
    finally:
        silent.stop()


def main():
    with tempfile.TemporaryDirectory() as directory:
        db = os.path.join(directory, "node.db")
        node = StreamsNode(STREAMS_NODE, db)
        try:
            lost_answers(directory, node, db)
            failed_state_write(directory, node, db)
            kill_loop(directory, node, db)
        finally:
            node.stop()
        eight_at_once(directory)
        subscribe_twice_and_strangers(directory)
        temp_file_and_modes(directory)
        hostile_nodes(directory)
    return finish("CLI safety")


if __name__ == "__main__":
    sys.exit(main())
