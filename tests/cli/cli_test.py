#!/usr/bin/env python3
"""The `streams` CLI driven as a user would from the shell, over its default transport (a local store
file): every command, its exact output shape, and its failures (reason on stderr, non-zero exit, state
file untouched).

usage: cli_test.py STREAMS_BINARY STREAMS_NODE_BINARY
"""
import json
import os
import re
import subprocess
import sys
import tempfile

STREAMS, STREAMS_NODE = sys.argv[1], sys.argv[2]
ADDRESS = re.compile(r"^[0-9a-f]{80}:[0-9a-f]{24}$")
CHANNEL = re.compile(r"^[0-9a-f]{80}$")
PUBLIC_KEY = re.compile(r"^[0-9a-f]{64}$")
PSK_ID = re.compile(r"^[0-9a-f]{32}$")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import StreamsNode, check, finish, index_of  # noqa: E402

class Cli:
    def __init__(self, directory, store="streams.db", password="pw"):
        self.directory = directory
        self.store = store
        self.password = password

    def run(self, state, *args, password=None, store=None):
        # The password through the environment (an argument would add a warning to stderr).
        env = dict(os.environ, STREAMS_PASSWORD=password if password is not None else self.password)
        command = [STREAMS, "--state", state, "--store", store or self.store, *args]
        return subprocess.run(command, cwd=self.directory, capture_output=True, text=True, timeout=120, env=env,
                              stdin=subprocess.DEVNULL)

    def ok(self, state, *args, **kwargs):
        result = self.run(state, *args, **kwargs)
        if result.returncode != 0:
            raise SystemExit(f"FAIL streams {' '.join(args)}: exit {result.returncode}: {result.stderr.strip()}")
        return result.stdout.strip()

    def state_bytes(self, state):
        with open(os.path.join(self.directory, state), "rb") as f:
            return f.read()

    def fails_cleanly(self, state, what, *args, exit_code=1, reason=None, **kwargs):
        """The command fails with a reason and leaves the state file exactly as it was."""
        before = self.state_bytes(state) if os.path.exists(os.path.join(self.directory, state)) else None
        result = self.run(state, *args, **kwargs)
        after = self.state_bytes(state) if os.path.exists(os.path.join(self.directory, state)) else None
        stderr = result.stderr.strip()
        check(result.returncode == exit_code, f"{what}: exit {exit_code} (got {result.returncode}: {stderr})")
        check(stderr.startswith("error: ") and len(stderr) > 12, f"{what}: a reason on stderr")
        if reason:
            check(reason in stderr, f"{what}: the reason names '{reason}'")
        check(before == after, f"{what}: state file unchanged")

    def fetch(self, state):
        out = self.ok(state, "fetch")
        return [json.loads(line) for line in out.splitlines() if line]


def hexed(text):
    return text.encode().hex()


def single_branch_flow(cli):
    channel = cli.ok("author.state", "author", "create", "--seed", "cli author seed")
    check(CHANNEL.match(channel) is not None, "author create prints a channel address")
    cli.fails_cleanly("author.state", "author create over an existing state", "author", "create", "--seed", "x",
                      reason="exists")

    pks = {}
    for name in ("s1", "s2", "s3"):
        pks[name] = cli.ok(f"{name}.state", "subscriber", "create", "--seed", f"cli {name} seed")
        check(PUBLIC_KEY.match(pks[name]) is not None, f"subscriber create prints a public key ({name})")

    info = json.loads(cli.ok("author.state", "info"))
    check(info["role"] == "author" and info["channel"] == channel and PUBLIC_KEY.match(info["pk"]) is not None,
          "info names the role, channel and key")

    announcement = cli.ok("author.state", "announce")
    check(ADDRESS.match(announcement) is not None and announcement.startswith(channel), "announce prints its address")
    # The announcement's address follows from the seed: the author knows it before sending it.
    check(info["announcement"] == announcement, "info names the announcement")

    for name in ("s1", "s2", "s3"):
        check(cli.ok(f"{name}.state", "receive-announce", announcement) == "", f"{name} receives the announcement")
    sub_info = json.loads(cli.ok("s1.state", "info"))
    check(sub_info["role"] == "subscriber" and sub_info["channel"] == channel and sub_info["pk"] == pks["s1"],
          "subscriber info after the announcement")

    for name in ("s1", "s2"):
        link = cli.ok(f"{name}.state", "subscribe", announcement)
        check(ADDRESS.match(link) is not None, f"{name} subscribe prints its address")
        cli.ok("author.state", "receive-subscribe", link)

    psk_id = cli.ok("author.state", "store-psk", "cli psk seed")
    check(PSK_ID.match(psk_id) is not None, "store-psk prints a PSK id")
    check(cli.ok("s3.state", "store-psk", "cli psk seed") == psk_id, "the same PSK seed gives the same id")

    # Keyload for s1 and the PSK holder (s3), not for s2.
    keyload = cli.ok("author.state", "keyload", announcement, "--pk", pks["s1"], "--psk", psk_id)
    check(ADDRESS.match(keyload) is not None, "keyload prints one address in a single-branch channel")
    signed = cli.ok("author.state", "signed", keyload, "hello public", "hello masked")
    check(ADDRESS.match(signed) is not None, "signed prints its address")
    tagged = cli.ok("author.state", "tagged", signed, "00ff", "a1b2", "--hex")
    check(ADDRESS.match(tagged) is not None, "tagged --hex prints its address")

    author_pk = info["pk"]
    for name in ("s1", "s3"):
        read = cli.fetch(f"{name}.state")
        payloads = [(m["type"], m["publisher"], m["public"], m["masked"]) for m in read if m["type"] != "keyload"]
        check(payloads == [("signed", author_pk, hexed("hello public"), hexed("hello masked")),
                           ("tagged", None, "00ff", "a1b2")], f"{name} reads both packets")
        check([m["address"] for m in read] == [keyload, signed, tagged], f"{name} reads the messages in order")
        check(cli.fetch(f"{name}.state") == [], f"{name}: a second fetch finds nothing new")
    left_out = cli.fetch("s2.state")
    check(all(m["masked"] != hexed("hello masked") and m["masked"] != "a1b2" for m in left_out),
          "s2 (left out of the keyload) reads no masked payload")
    check(all(set(m) == {"address", "type", "publisher", "public", "masked"} for m in left_out + read),
          "fetch lines have exactly the documented fields")

    # A subscriber publishes, the author reads it.
    reply = cli.ok("s1.state", "signed", tagged, "from s1", "s1 secret")
    check(ADDRESS.match(reply) is not None, "a subscriber sends a signed packet")
    from_s1 = [m for m in cli.fetch("author.state") if m["type"] == "signed"]
    check([(m["publisher"], m["masked"]) for m in from_s1] == [(pks["s1"], hexed("s1 secret"))],
          "the author reads the subscriber's packet")

    unsubscribe = cli.ok("s1.state", "unsubscribe", reply)
    check(ADDRESS.match(unsubscribe) is not None, "unsubscribe prints its address")
    check(cli.ok("author.state", "receive-unsubscribe", unsubscribe) == "", "the author receives the unsubscribe")
    return {"channel": channel, "announcement": announcement, "last": reply, "pks": pks, "author_pk": author_pk}


def failures_leave_state(cli, flow):
    cli.fails_cleanly("author.state", "wrong password", "info", password="not the password", reason="password")
    cli.fails_cleanly("author.state", "malformed address", "signed", "nothex:00", "a", "b", reason="nothex")
    unknown = flow["channel"] + ":" + "ab" * 12
    cli.fails_cleanly("author.state", "a link the author does not know", "signed", unknown, "a", "b")
    cli.fails_cleanly("s2.state", "receive-announce of a message that is not there", "receive-announce", unknown)
    cli.fails_cleanly("author.state", "a subscriber command on an author state", "subscribe", flow["announcement"],
                      reason="subscriber")
    cli.fails_cleanly("s1.state", "an author command on a subscriber state", "keyload", flow["announcement"],
                      reason="author")
    cli.fails_cleanly("author.state", "malformed public key", "keyload", flow["announcement"], "--pk", "12",
                      reason="public key")
    cli.fails_cleanly("author.state", "bad hex payload", "signed", flow["last"], "zz", "00", "--hex", reason="hex")
    cli.fails_cleanly("author.state", "unknown command", "frobnicate", exit_code=2, reason="frobnicate")
    cli.fails_cleanly("author.state", "missing argument", "signed", flow["last"], exit_code=2, reason="usage")
    cli.fails_cleanly("new.state", "subscriber create without a seed", "subscriber", "create", exit_code=2,
                      reason="--seed")
    cli.fails_cleanly("none.state", "a command without a state file", "info", reason="no state file")
    cli.fails_cleanly("author.state", "import over an existing state", "import", "author.state", reason="exists")


def state_files(cli, flow):
    for fmt in ([], ["--format", "official"]):
        label = "official" if fmt else "native"
        cli.ok("author.state", "export", f"author.{label}", *fmt, password="pw")
        cli.ok(f"author-{label}.state", "import", f"author.{label}", *fmt, password="pw")
        copy = json.loads(cli.ok(f"author-{label}.state", "info"))
        check(copy["channel"] == flow["channel"] and copy["pk"] == flow["author_pk"],
              f"an author state exported and imported ({label} format) is the same channel and key")
        cli.fails_cleanly(f"bad-{label}.state", f"import with a wrong password ({label})", "import",
                          f"author.{label}", *fmt, password="wrong", reason="password")
        check(not os.path.exists(os.path.join(cli.directory, f"bad-{label}.state")),
              f"a failed import creates no state file ({label})")
    # The imported author goes on publishing, and the subscribers read it.
    after = cli.ok("author-official.state", "signed", flow["last"], "after import", "still masked")
    check(ADDRESS.match(after) is not None, "the imported author publishes")
    read = [m for m in cli.fetch("s3.state") if m["type"] == "signed"]
    check([m["masked"] for m in read][-1:] == [hexed("still masked")], "a subscriber reads the imported author")
    with open(os.path.join(cli.directory, "author.official"), "rb") as f:
        data = bytearray(f.read())
    data[len(data) // 2] ^= 1
    with open(os.path.join(cli.directory, "damaged.official"), "wb") as f:
        f.write(data)
    cli.fails_cleanly("damaged.state", "import of a damaged state", "import", "damaged.official", "--format",
                      "official")


def multi_branch(cli):
    cli.store = "multi.db"
    cli.ok("mb-author.state", "author", "create", "--seed", "cli mb author", "--type", "multi-branch")
    pk = cli.ok("mb-sub.state", "subscriber", "create", "--seed", "cli mb sub")
    announcement = cli.ok("mb-author.state", "announce")
    cli.ok("mb-sub.state", "receive-announce", announcement)
    cli.ok("mb-author.state", "receive-subscribe", cli.ok("mb-sub.state", "subscribe", announcement))
    keyload = cli.ok("mb-author.state", "keyload", announcement).split(" ")
    check(len(keyload) == 2 and all(ADDRESS.match(a) for a in keyload),
          "keyload in a multi-branch channel prints the message and its sequence message")
    signed = cli.ok("mb-author.state", "signed", keyload[0], "mb public", "mb masked").split(" ")
    check(len(signed) == 2, "signed in a multi-branch channel prints two addresses")
    read = [m for m in cli.fetch("mb-sub.state") if m["type"] == "signed"]
    check([m["masked"] for m in read] == [hexed("mb masked")], "the multi-branch subscriber reads the packet")
    reply = cli.ok("mb-sub.state", "tagged", signed[0], "sub public", "sub masked").split(" ")
    check(len(reply) == 2, "a subscriber's packet in a multi-branch channel has a sequence message")
    read = [m for m in cli.fetch("mb-author.state") if m["type"] == "tagged"]
    check([m["masked"] for m in read] == [hexed("sub masked")], "the author reads the subscriber's tagged packet")
    check(pk not in [m["publisher"] for m in read], "a tagged packet names no publisher")
    return announcement, "mb-author.state", keyload[0]


def node_serves_the_store(cli, announcement, author_state, link):
    """streams-node started on the CLI's store file serves what the CLI wrote, while the CLI goes on
    writing to the same file from another process."""
    node = StreamsNode(STREAMS_NODE, os.path.join(cli.directory, cli.store))
    try:
        check(len(node.ids_at(index_of(announcement))) == 1, "streams-node on the CLI's store file finds the announcement")
        more = cli.ok(author_state, "tagged", link, "while the node runs", "x").split(" ")[0]
        check(ADDRESS.match(more) is not None, "the CLI writes to the store while the node serves it")
        check(len(node.ids_at(index_of(more))) == 1, "and the node sees the new message")
    finally:
        node.stop()


def main():
    with tempfile.TemporaryDirectory() as directory:
        cli = Cli(directory)
        flow = single_branch_flow(cli)
        failures_leave_state(cli, flow)
        state_files(cli, flow)
        node_serves_the_store(cli, *multi_branch(cli))
        check(os.path.exists(os.path.join(directory, "streams.db")), "the default transport is a store file")
    return finish("CLI")


if __name__ == "__main__":
    sys.exit(main())
