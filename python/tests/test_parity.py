"""What the C++ API has and Python gained: the two phases of an exactly-once send (prepare_*, then
publish_pending, with the state saved between), and the fetch result that tells messages, refusals
(with their reasons) and a failed transport apart."""
import pytest

from checks import index_of
from iota_streams import (Address, Author, BucketTransport, FetchResult, MessageLinks, NodeTransport, Refusal,
                          StreamsError, Subscriber)


def test_prepare_then_publish_pending_across_a_saved_state():
    transport = BucketTransport()
    author = Author("python author seed", "single-branch", transport)
    announcement = author.prepare_announce()
    assert isinstance(announcement, Address)
    assert author.has_pending() and author.pending_messages() == [announcement]
    subscriber = Subscriber("python subscriber seed", transport)
    with pytest.raises(StreamsError):
        subscriber.receive_announcement(announcement)  # prepared, not published
    with pytest.raises(StreamsError):
        author.prepare_keyload_for_everyone(announcement)  # nothing new is built while one is pending

    # Saved between the two phases, as a process that may die does: the import still holds it.
    author = Author.import_state(author.export_state("pw"), "pw", transport)
    assert author.pending_messages() == [announcement]
    author.publish_pending()
    assert not author.has_pending() and author.pending_messages() == []
    author.publish_pending()  # nothing pending: nothing to do
    subscriber.receive_announcement(announcement)

    subscription = subscriber.prepare_subscribe(announcement)
    assert subscriber.pending_messages() == [subscription]
    subscriber.publish_pending()
    author.receive_subscribe(subscription)

    keyload = author.prepare_keyload(announcement, [], [subscriber.get_public_key()])
    assert isinstance(keyload, MessageLinks) and author.pending_messages() == [keyload.msg_link]
    author.publish_pending()
    signed = author.prepare_signed_packet(keyload.msg_link, b"public", b"masked")
    with pytest.raises(StreamsError):
        author.send_tagged_packet(signed.msg_link, b"", b"second")  # refused: one is pending
    author.publish_pending()

    read = subscriber.fetch_all_next_msgs()
    assert isinstance(read, FetchResult) and isinstance(read, list)
    assert [m.kind for m in read] == ["keyload", "signed"] and read.messages == list(read)
    assert read[1].masked_payload == b"masked" and read[1].link == signed.msg_link
    assert read.refused == [] and read.transport_error is None and read.ok() and not read.nothing_new()
    again = subscriber.fetch_all_next_msgs()
    assert again == [] and again.nothing_new()

    reply = subscriber.prepare_tagged_packet(signed.msg_link, b"", b"reply")
    subscriber.publish_pending()
    assert [m.masked_payload for m in author.fetch_all_next_msgs()] == [b"reply"]
    assert author.fetch_all_next_msgs().nothing_new()
    assert reply.msg_link == author.receive_msg(reply.msg_link).link

    unsubscription = subscriber.prepare_unsubscribe(signed.msg_link)
    subscriber.publish_pending()
    author.receive_unsubscribe(unsubscription)
    everyone = author.prepare_keyload_for_everyone(announcement)
    author.publish_pending()
    assert author.pending_messages() == [] and everyone.msg_link != keyload.msg_link


def test_fetch_result_names_refusals_and_their_reasons(node):
    transport = NodeTransport(node.url)
    author = Author("python refusing author", "single-branch", transport)
    announcement = author.send_announce()
    subscriber = Subscriber("python refusing reader", transport)
    subscriber.receive_announcement(announcement)
    author.receive_subscribe(subscriber.send_subscribe(announcement))
    keyload = author.send_keyload_for_everyone(announcement)
    assert [m.kind for m in subscriber.fetch_all_next_msgs()] == ["keyload"]

    # Junk where the author's next message goes: the reader refuses it, says why, and stays there.
    next_link = [c.link for c in subscriber.gen_next_msg_ids(False) if c.identifier == author.get_public_key()][0]
    status, answer = node.post_data(index_of(str(next_link)), b"\xde\xad\xbe\xef")
    assert status in (200, 201, 202), answer
    result = subscriber.fetch_next_msgs()
    assert list(result) == [] and not result.nothing_new() and result.ok()
    assert len(result.refused) == 1
    refusal = result.refused[0]
    assert isinstance(refusal, Refusal) and refusal.link == next_link and refusal.candidate in (0, None)
    assert refusal.reason  # the library's reason, not empty

    # The real message at that address is read past the junk.
    packet = author.send_signed_packet(keyload.msg_link, b"p", b"m")
    assert packet.msg_link == next_link
    read = subscriber.fetch_all_next_msgs()
    assert [(m.link, m.masked_payload) for m in read] == [(packet.msg_link, b"m")]


def test_a_failed_transport_raises_before_anything_is_read(node):
    transport = NodeTransport(node.url, timeout_ms=2000)
    author = Author("python author of a stopped node", "single-branch", transport)
    subscriber = Subscriber("python reader of a stopped node", transport)
    subscriber.receive_announcement(author.send_announce())
    node.stop()
    with pytest.raises(StreamsError):
        subscriber.fetch_all_next_msgs()
