"""IOTA Streams 1.2 Channels from Python: Author and Subscriber with the official method names, over
the in-memory bucket, a local store file (SQLite) or a Chrysalis node (streams-node).

    from iota_streams import Author, Subscriber, StoreTransport
    transport = StoreTransport("channel.db")
    author = Author("author seed", "single-branch", transport)
    announcement = author.send_announce()

Failures raise StreamsError carrying the library's reason; the user's state is then unchanged.
"""
from ._types import (Address, Cursor, FetchResult, MessageLinks, Refusal, SignedPacket, TaggedPacket,
                     UnwrappedMessage)
from ._iota_streams import (
    Author,
    BucketTransport,
    NodeTransport,
    StoreTransport,
    StreamsError,
    Subscriber,
    Transport,
    __version__,
)

__all__ = [
    "Address",
    "Author",
    "BucketTransport",
    "Cursor",
    "FetchResult",
    "MessageLinks",
    "NodeTransport",
    "Refusal",
    "SignedPacket",
    "StoreTransport",
    "StreamsError",
    "Subscriber",
    "TaggedPacket",
    "Transport",
    "UnwrappedMessage",
    "__version__",
]
