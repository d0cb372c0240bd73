"""The bindings on their own: the channel flow over the bucket and store transports, plain result
values, errors as StreamsError with the library's reason (state unchanged), state export/import,
and the GIL released while the library waits on the network."""
import http.server
import threading

import pytest

import iota_streams
from iota_streams import (Address, Author, BucketTransport, MessageLinks, NodeTransport, StoreTransport,
                          StreamsError, Subscriber, UnwrappedMessage)


def open_channel(transport, channel_type="single-branch"):
    author = Author("python author seed", channel_type, transport)
    announcement = author.send_announce()
    subscriber = Subscriber("python subscriber seed", transport)
    subscriber.receive_announcement(announcement)
    subscription = subscriber.send_subscribe(announcement)
    author.receive_subscribe(subscription)
    return author, subscriber, announcement


@pytest.mark.parametrize("channel_type", ["single-branch", "multi-branch"])
def test_flow_over_bucket(channel_type):
    transport = BucketTransport()
    author, subscriber, announcement = open_channel(transport, channel_type)
    assert isinstance(announcement, Address)
    assert subscriber.channel_address() == author.channel_address() == announcement.channel
    assert subscriber.author_public_key() == author.get_public_key()
    assert author.is_multi_branching() == (channel_type == "multi-branch")

    keyload = author.send_keyload_for_everyone(announcement)
    assert isinstance(keyload, MessageLinks)
    assert (keyload.seq_link is not None) == (channel_type == "multi-branch")
    packet = author.send_signed_packet(keyload.msg_link, b"public", b"masked \x00 bytes")

    read = subscriber.fetch_all_next_msgs()
    kinds = [m.kind for m in read]
    assert all(isinstance(m, UnwrappedMessage) for m in read)
    assert "keyload" in kinds and "signed" in kinds
    signed = next(m for m in read if m.kind == "signed")
    assert signed.publisher == author.get_public_key()
    assert (signed.public_payload, signed.masked_payload) == (b"public", b"masked \x00 bytes")
    assert signed.link == packet.msg_link

    reply = subscriber.send_tagged_packet(packet.msg_link, b"", b"reply")
    by_author = author.fetch_all_next_msgs()
    tagged = [m for m in by_author if m.kind == "tagged"]
    assert [m.masked_payload for m in tagged] == [b"reply"]
    assert tagged[0].link == reply.msg_link
    assert author.receive_tagged_packet(str(reply.msg_link)).masked_payload == b"reply"


def test_addresses_as_text_or_values():
    transport = BucketTransport()
    author = Author("python author seed", 0, transport)
    announcement = author.send_announce()
    assert Address.parse(str(announcement)) == announcement
    assert author.announcement_link() == announcement
    subscriber = Subscriber("python subscriber seed", transport)
    subscriber.receive_announcement(str(announcement).upper())
    assert subscriber.is_registered()
    with pytest.raises(ValueError):
        subscriber.receive_msg("not an address")
    with pytest.raises(ValueError):
        Author("seed", "two-branch", transport)


def test_errors_carry_the_reason_and_leave_the_state():
    transport = BucketTransport()
    author, subscriber, announcement = open_channel(transport)
    before = subscriber.export_state("pw")
    missing = Address(announcement.channel, "00" * 12)
    with pytest.raises(StreamsError) as error:
        subscriber.receive_signed_packet(missing)
    assert str(error.value)  # the library's reason, not an empty message
    assert Subscriber.import_state(before, "pw", transport).fetch_state() == subscriber.fetch_state()
    # A second announce from another author is refused: not this subscriber's channel.
    other = Author("another author", "single-branch", transport).send_announce()
    with pytest.raises(StreamsError):
        subscriber.receive_announcement(other)
    assert subscriber.channel_address() == author.channel_address()


def test_state_export_import(tmp_path):
    store = str(tmp_path / "python.db")
    transport = StoreTransport(store)
    author, subscriber, announcement = open_channel(transport)
    keyload = author.send_keyload_for_everyone(announcement)
    first = author.send_signed_packet(keyload.msg_link, b"", b"first")
    saved_author = author.export_state("author password")
    saved_subscriber = subscriber.export_state("subscriber password", format="official")
    with pytest.raises(StreamsError):
        Author.import_state(saved_author, "wrong password", transport)

    again = StoreTransport(store)  # another connection to the same file
    author2 = Author.import_state(saved_author, "author password", again)
    subscriber2 = Subscriber.import_state(saved_subscriber, "subscriber password", again, format="official")
    assert author2.channel_address() == author.channel_address()
    assert author2.get_public_key() == author.get_public_key()
    author2.send_signed_packet(first.msg_link, b"", b"second")
    masked = [m.masked_payload for m in subscriber2.fetch_all_next_msgs() if m.kind == "signed"]
    assert masked == [b"first", b"second"]


def test_psk_keyload():
    transport = BucketTransport()
    author, subscriber, announcement = open_channel(transport)
    psk_id = author.store_psk("shared psk seed")
    reader = Subscriber("psk reader", transport)
    reader.receive_announcement(announcement)
    assert reader.store_psk("shared psk seed") == psk_id
    keyload = author.send_keyload(announcement, [psk_id], [])
    assert reader.receive_keyload(keyload.msg_link) is True
    assert subscriber.receive_keyload(keyload.msg_link) is False  # left out
    author.send_tagged_packet(keyload.msg_link, b"", b"for psk holders")
    assert [m.masked_payload for m in reader.fetch_all_next_msgs() if m.kind == "tagged"] == [b"for psk holders"]


class _SlowEmptyNode(http.server.BaseHTTPRequestHandler):
    """A node in this process that has no messages; it can answer only if Python code runs while the
    library waits for it."""

    requests = 0

    def do_GET(self):  # noqa: N802
        type(self).requests += 1
        index = self.path.split("index=")[-1]
        body = ('{"data":{"index":"%s","maxResults":1000,"count":0,"messageIds":[]}}' % index).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_gil_released_during_network_calls():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowEmptyNode)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        transport = NodeTransport(f"http://127.0.0.1:{server.server_address[1]}", timeout_ms=20000)
        author = Author("python author seed", "single-branch", BucketTransport())
        announcement = author.send_announce()
        subscriber = Subscriber("python subscriber seed", transport)
        # The in-process node answers "no such message": the call ends with that answer, which it could
        # not get if the GIL were held while the library waits for the node (it would time out instead).
        with pytest.raises(StreamsError) as error:
            subscriber.receive_announcement(announcement)
        assert str(error.value) == f"no message found at {announcement}"
        assert _SlowEmptyNode.requests >= 1
    finally:
        server.shutdown()


def test_version_and_types():
    assert iota_streams.__version__ == "0.1.0"
    assert issubclass(StreamsError, Exception)
    assert isinstance(BucketTransport(), iota_streams.Transport)


def test_threads_share_a_user_and_a_transport():
    transport = BucketTransport()
    author, subscriber, announcement = open_channel(transport, "multi-branch")
    keyload = author.send_keyload_for_everyone(announcement)
    errors = []

    def publish(thread):
        try:
            for i in range(5):
                author.send_tagged_packet(keyload.msg_link, b"", f"thread {thread} packet {i}".encode())
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=publish, args=(t,)) for t in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    read = sorted(m.masked_payload for m in subscriber.fetch_all_next_msgs() if m.kind == "tagged")
    assert read == sorted(f"thread {t} packet {i}".encode() for t in range(2) for i in range(5))
