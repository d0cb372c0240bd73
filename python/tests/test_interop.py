"""The Python package against the other implementations, all through streams-node: a Python subscriber
reads channels written by the streams CLI and by the official library (npm @iota/streams, driven
through tests/interop/official.js), and the CLI and the official library read a Python author,
including after the official library took over the Python author's exported state."""
import json
import os
import re
import subprocess

import pytest

from iota_streams import Address, Author, NodeTransport, StreamsError, Subscriber

PASSWORD = "python interop password"


class Cli:
    """One user of the streams CLI, its state in a file, talking to the node."""

    def __init__(self, program, directory, url, name):
        self.command = [program, "--state", os.path.join(directory, name + ".state"), "--node", url]

    def __call__(self, *args):
        env = dict(os.environ, STREAMS_PASSWORD=PASSWORD)
        result = subprocess.run(self.command + list(args), capture_output=True, text=True, timeout=300, env=env)
        assert result.returncode == 0, f"streams {' '.join(args)}: {result.stderr.strip()}"
        return result.stdout.strip()

    def read(self):
        """Signed and tagged packets read by `fetch`, as (type, masked payload)."""
        messages = [json.loads(line) for line in self("fetch").splitlines() if line.strip()]
        return sorted((m["type"], bytes.fromhex(m["masked"])) for m in messages if m["type"] in ("signed", "tagged"))


class Official:
    """The official library in one Node.js process (official.js: one JSON request per line)."""

    def __init__(self, script, url):
        self.process = subprocess.Popen(["node", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        env=dict(os.environ, STREAMS_NODE_URL=url), cwd=os.path.dirname(script))

    def __call__(self, op, **request):
        self.process.stdin.write(json.dumps(dict(op=op, **request)) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert answer.pop("ok"), f"official {op}: {answer.get('error')}"
        return answer

    def read(self, user):
        messages = self("fetch", user=user)["messages"]
        return sorted((m["type"], bytes.fromhex(m["masked"])) for m in messages if m["type"] in ("signed", "tagged"))

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def official(official_js, node):
    peer = Official(official_js, node.url)
    yield peer
    peer.stop()


def packets(messages):
    return sorted((m.kind, m.masked_payload) for m in messages if m.kind in ("signed", "tagged"))


def test_python_subscriber_reads_the_cli(node, streams_cli, tmp_path):
    author = Cli(streams_cli, str(tmp_path), node.url, "author")
    author("author", "create", "--seed", "cli author for python", "--type", "single-branch")
    announcement = author("announce")

    subscriber = Subscriber("python reads the cli", NodeTransport(node.url))
    subscriber.receive_announcement(announcement)
    author("receive-subscribe", str(subscriber.send_subscribe(announcement)))
    keyload = author("keyload", announcement).split(" ")[0]
    signed = author("signed", keyload, b"public".hex(), b"from the cli".hex(), "--hex").split(" ")[0]
    author("tagged", signed, "", b"tagged by the cli".hex(), "--hex")

    read = subscriber.fetch_all_next_msgs()
    assert packets(read) == [("signed", b"from the cli"), ("tagged", b"tagged by the cli")]
    message = next(m for m in read if m.kind == "signed")
    assert message.link == Address.parse(signed)
    assert message.public_payload == b"public"
    assert message.publisher == subscriber.author_public_key()


@pytest.mark.parametrize("channel_type", ["single-branch", "multi-branch"])
def test_python_subscriber_reads_the_official_library(node, official, channel_type):
    official("author", name="A", seed="official author for python " + channel_type, type=channel_type)
    announcement = official("announce", user="A")["link"]

    subscriber = Subscriber("python reads the official library", NodeTransport(node.url))
    subscriber.receive_announcement(announcement)
    assert subscriber.is_multi_branching() == (channel_type == "multi-branch")
    official("receive_subscribe", user="A", link=str(subscriber.send_subscribe(announcement)))
    keyload = official("keyload", user="A", link=announcement, pks=[], psks=[])["link"]
    signed = official("signed", user="A", link=keyload, public="", masked=b"from the official library".hex())["link"]
    official("tagged", user="A", link=signed, public="", masked=b"tagged officially".hex())

    read = subscriber.fetch_all_next_msgs()
    assert packets(read) == [("signed", b"from the official library"), ("tagged", b"tagged officially")]


def test_cli_and_official_library_read_a_python_author(node, streams_cli, official, tmp_path):
    author = Author("python author for the others", "multi-branch", NodeTransport(node.url))
    announcement = author.send_announce()

    cli = Cli(streams_cli, str(tmp_path), node.url, "reader")
    cli("subscriber", "create", "--seed", "cli reads python")
    cli("receive-announce", str(announcement))
    author.receive_subscribe(cli("subscribe", str(announcement)))
    official("subscriber", name="S", seed="official reads python")
    official("receive_announcement", user="S", link=str(announcement))
    author.receive_subscribe(official("subscribe", user="S", link=str(announcement))["link"])

    keyload = author.send_keyload_for_everyone(announcement)
    signed = author.send_signed_packet(keyload.msg_link, b"public", b"from python")
    author.send_tagged_packet(signed.msg_link, b"", b"tagged by python")
    expected = [("signed", b"from python"), ("tagged", b"tagged by python")]
    assert cli.read() == expected
    assert official.read("S") == expected

    # The official library goes on from the Python author's exported state (official format).
    state = author.export_state(PASSWORD, format="official")
    official("import", name="A2", role="author", state=state.hex(), password=PASSWORD)
    official("signed", user="A2", link=str(signed.msg_link), public="", masked=b"official took over".hex())
    assert cli.read() == [("signed", b"official took over")]


def test_a_failed_send_stays_pending_until_published(tmp_path, streams_node_bin):
    """The node goes away: the send fails and its message stays pending (further sends refused); with the
    node back on the same port, publish_pending() delivers it and a subscriber reads it."""
    def start(listen):
        process = subprocess.Popen([streams_node_bin, "--listen", listen, "--db", str(tmp_path / "node.db")],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        url = re.search(r"listening on (http://\S+)", process.stdout.readline())
        assert url, "streams-node did not start"
        return process, url.group(1)

    node, url = start("127.0.0.1:0")
    try:
        author = Author("python pending author", "single-branch", NodeTransport(url, timeout_ms=5000))
        announcement = author.send_announce()
        subscriber = Subscriber("python pending reader", NodeTransport(url))
        subscriber.receive_announcement(announcement)
        author.receive_subscribe(subscriber.send_subscribe(announcement))
        keyload = author.send_keyload_for_everyone(announcement)
    finally:
        node.terminate()
        node.wait(timeout=30)
    with pytest.raises(StreamsError) as error:
        author.send_signed_packet(keyload.msg_link, b"", b"sent while the node was down")
    assert "pending" in str(error.value)
    assert author.has_pending() and len(author.pending_messages()) == 1
    with pytest.raises(StreamsError):
        author.send_tagged_packet(keyload.msg_link, b"", b"refused while one is pending")

    node, _ = start(url.removeprefix("http://"))
    try:
        author.publish_pending()
        assert not author.has_pending()
        read = subscriber.fetch_all_next_msgs()
        assert [m.masked_payload for m in read if m.kind == "signed"] == [b"sent while the node was down"]
    finally:
        node.terminate()
        node.wait(timeout=30)
