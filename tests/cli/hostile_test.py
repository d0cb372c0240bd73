#!/usr/bin/env python3
"""Reading in a hostile network, end to end: the `streams` CLI against `streams-node`, where anyone
posts anything at any index. Junk (4 bytes), a replay of the channel's previous message and a
duplicate (the same Streams bytes in another node message) are posted over HTTP at the index of every
message of each kind (announce, subscribe, keyload, sequence, signed, tagged, unsubscribe) in each
channel type: every reader still reads every real message, in order. The announce's junk is posted
before the announce. Then `fetch` failures: stdout closed or on a full disk (non-zero exit, and the next
fetch still returns the messages), a dead node, a wrong URL path, a port that answers garbage
(non-zero exit with a reason).

usage: hostile_test.py STREAMS_BINARY STREAMS_NODE_BINARY
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading

STREAMS, STREAMS_NODE = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import StreamsNode, check, finish, index_of  # noqa: E402


def chrysalis(network_id, index, data, parent):
    """An indexation message without PoW (streams-node's default minimum score is 0)."""
    payload = (2).to_bytes(4, "little") + len(index).to_bytes(2, "little") + index + \
        len(data).to_bytes(4, "little") + data
    return network_id.to_bytes(8, "little") + bytes([1]) + parent + len(payload).to_bytes(4, "little") + \
        payload + (0).to_bytes(8, "little")


def indexation_data(raw):
    """The indexation data of a raw Chrysalis message."""
    parents = raw[8]
    at = 9 + 32 * parents + 4 + 4
    index_length = int.from_bytes(raw[at:at + 2], "little")
    at += 2 + index_length
    length = int.from_bytes(raw[at:at + 4], "little")
    return raw[at + 4:at + 4 + length]


class Squatter:
    """Posts junk, a replay and a duplicate at the index of each message it is shown."""

    def __init__(self, node):
        self.node = node
        _, info = node.json("GET", "/api/v1/info")
        import hashlib
        self.network = int.from_bytes(hashlib.blake2b(info["data"]["networkId"].encode(), digest_size=32).digest()[:8],
                                      "little")
        self.previous = None
        self.posted = 0
        self.counter = 0

    def post(self, index_hex, data):
        self.counter += 1
        parent = self.counter.to_bytes(32, "big")  # another node message for the same Streams bytes
        status, answer = self.node.post(chrysalis(self.network, bytes.fromhex(index_hex), data, parent))
        check(status in (200, 201, 202), f"squat posted at {index_hex[:12]} ({status} {answer})")
        self.posted += 1

    def junk(self, address):
        self.post(index_of(address), b"\xde\xad\xbe\xef")

    def squat(self, address):
        """Junk, a replay of the previous real message, and a duplicate of this one."""
        index = index_of(address)
        ids = self.node.ids_at(index)
        check(len(ids) >= 1, f"the real message is at {index[:12]}")
        status, _, raw = self.node.request("GET", f"/api/v1/messages/{ids[0]}/raw")
        real = indexation_data(raw)
        self.junk(address)
        if self.previous is not None:
            self.post(index, self.previous)
        self.post(index, real)
        self.previous = real


class Cli:
    def __init__(self, directory, node_url):
        self.directory = directory
        self.node_url = node_url

    def run(self, state, *args, node=None, stdout=subprocess.PIPE, timeout=120):
        command = [STREAMS, "--state", state, "--password", "pw", "--node", node or self.node_url, *args]
        return subprocess.run(command, cwd=self.directory, stdout=stdout, stderr=subprocess.PIPE, text=True,
                              timeout=timeout)

    def ok(self, state, *args):
        result = self.run(state, *args)
        if result.returncode != 0:
            raise SystemExit(f"FAIL streams {' '.join(args)}: exit {result.returncode}: {result.stderr.strip()}")
        return result.stdout.strip()

    def fetch(self, state):
        return [json.loads(line) for line in self.ok(state, "fetch").splitlines() if line]


def masked(messages):
    return [bytes.fromhex(m["masked"]).decode() if m["type"] in ("signed", "tagged") else m["type"] for m in messages]


def channel_flow(cli, squatter, kind):
    a, s1, s2 = f"{kind}-author.state", f"{kind}-s1.state", f"{kind}-s2.state"
    cli.ok(a, "author", "create", "--seed", f"hostile {kind} author", "--type", kind)
    cli.ok(s1, "subscriber", "create", "--seed", f"hostile {kind} s1")
    cli.ok(s2, "subscriber", "create", "--seed", f"hostile {kind} s2")
    announcement = json.loads(cli.ok(a, "info"))["announcement"]
    squatter.junk(announcement)  # before the announce: the author must still announce
    check(cli.ok(a, "announce") == announcement, f"{kind}: the author announces over junk at the announce index")
    squatter.squat(announcement)
    subscriptions = {}
    for s in (s1, s2):
        cli.ok(s, "receive-announce", announcement)
        subscriptions[s] = cli.ok(s, "subscribe", announcement)
        squatter.squat(subscriptions[s])
        cli.ok(a, "receive-subscribe", subscriptions[s])
    keyload = cli.ok(a, "keyload", announcement).split(" ")
    for address in keyload:  # the keyload, and its sequence in a multi-branch channel
        squatter.squat(address)
    signed = cli.ok(a, "signed", keyload[0], "pub", "signed one").split(" ")
    for address in signed:
        squatter.squat(address)
    tagged = cli.ok(a, "tagged", keyload[0] if kind == "single-depth" else signed[0], "pub", "tagged one").split(" ")
    for address in tagged:
        squatter.squat(address)
    expected = ["keyload", "signed one", "tagged one"]
    check(masked(cli.fetch(s1)) == expected, f"{kind}: subscriber 1 reads every message in order through the squats")
    check(masked(cli.fetch(s2)) == expected, f"{kind}: subscriber 2 reads every message in order through the squats")
    if kind != "single-depth":
        reply = cli.ok(s1, "signed", tagged[0], "pub", "from s1").split(" ")
        for address in reply:
            squatter.squat(address)
        check(masked(cli.fetch(a)) == ["from s1"], f"{kind}: the author reads the subscriber's packet")
        check(masked(cli.fetch(s2)) == ["from s1"], f"{kind}: the other subscriber reads it too")
    unsubscribe = cli.ok(s2, "unsubscribe", subscriptions[s2])
    squatter.squat(unsubscribe)
    cli.ok(a, "receive-unsubscribe", unsubscribe)
    return s1, reply[0] if kind != "single-depth" else keyload[0]


class GarbageServer:
    """A port that answers every request with garbage."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        for _ in range(32):  # bounded: the test makes a few requests
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    conn.recv(65536)
                    conn.sendall(b"\x00\xffNOT HTTP AT ALL\r\n\r\n{{{{")
                except OSError:
                    pass

    def close(self):
        self.sock.close()


def fetch_failures(cli, node, reader, last):
    # A message for the reader to fetch.
    cli.ok(reader.replace("-s1.", "-author."), "signed", last, "pub", "late")
    state_path = os.path.join(cli.directory, reader)
    with open(state_path, "rb") as f:
        before = f.read()
    closed = subprocess.run(f'"{STREAMS}" --state {reader} --password pw --node {cli.node_url} fetch >&-',
                            shell=True, cwd=cli.directory, stderr=subprocess.PIPE, text=True, timeout=120)
    check(closed.returncode != 0, f"fetch with stdout closed exits non-zero ({closed.returncode})")
    check("error:" in closed.stderr, f"and says why ({closed.stderr.strip()[:100]})")
    with open("/dev/full", "w") as full:
        on_full = cli.run(reader, "fetch", stdout=full)
    check(on_full.returncode != 0, f"fetch onto a full disk exits non-zero ({on_full.returncode})")
    check("cannot write" in on_full.stderr, f"and says why ({on_full.stderr.strip()[:100]})")
    with open(state_path, "rb") as f:
        check(f.read() == before, "the failed fetches left the state file alone")
    again = cli.run(reader, "fetch")
    check(again.returncode == 0 and "late" in masked([json.loads(l) for l in again.stdout.splitlines() if l]),
          f"a later fetch still returns the messages ({again.stdout.strip()[:200]} {again.stderr.strip()[:300]})")

    # A dead node: a port nothing listens on.
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    probe.close()
    for label, url in (("a dead node", dead), ("a wrong URL path", node.url + "/not/the/api")):
        result = cli.run(reader, "fetch", node=url, timeout=120)
        check(result.returncode != 0 and "error:" in result.stderr and result.stdout == "",
              f"fetch against {label}: non-zero exit with a reason, nothing printed ({result.stderr.strip()[:120]})")
    garbage = GarbageServer()
    try:
        result = cli.run(reader, "fetch", node=garbage.url, timeout=120)
        check(result.returncode != 0 and "error:" in result.stderr and result.stdout == "",
              f"fetch against a garbage answer: non-zero exit with a reason ({result.stderr.strip()[:120]})")
    finally:
        garbage.close()
    check(cli.fetch(reader) == [], "nothing new after the failures")


def main():
    with tempfile.TemporaryDirectory() as directory:
        node = StreamsNode(STREAMS_NODE, os.path.join(directory, "node.db"))
        try:
            cli = Cli(directory, node.url)
            squatter = Squatter(node)
            readers = [channel_flow(cli, squatter, kind) for kind in ("single-branch", "multi-branch", "single-depth")]
            fetch_failures(cli, node, *readers[0])
        finally:
            node.stop()
    return finish("hostile network")


if __name__ == "__main__":
    sys.exit(main())
