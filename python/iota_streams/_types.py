"""Plain Python values the bindings return: addresses, message links, read messages, cursors."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional

CHANNEL_TYPES = ("single-branch", "multi-branch", "single-depth")


@dataclass(frozen=True)
class Address:
    """A message address: the channel address (80 hex digits) and the message id (24 hex digits)."""

    channel: str
    msgid: str

    @staticmethod
    def parse(text: str) -> "Address":
        """From its text form "<80 hex>:<24 hex>" (either case); ValueError when malformed."""
        parts = str(text).strip().split(":")
        if len(parts) != 2 or len(parts[0]) != 80 or len(parts[1]) != 24:
            raise ValueError(f"an address is <80 hex>:<24 hex>, not {text!r}")
        try:
            bytes.fromhex(parts[0] + parts[1])
        except ValueError:
            raise ValueError(f"an address is <80 hex>:<24 hex>, not {text!r}") from None
        return Address(parts[0].lower(), parts[1].lower())

    def __str__(self) -> str:
        return f"{self.channel}:{self.msgid}"


@dataclass(frozen=True)
class MessageLinks:
    """What a send returns: the message, and in a multi-branch channel its sequence message."""

    msg_link: Address
    seq_link: Optional[Address] = None


@dataclass(frozen=True)
class UnwrappedMessage:
    """A message read from a channel. kind: "keyload", "signed", "tagged" or
    "unreadable" (in the channel, but this user has no access to it)."""

    link: Address
    kind: str
    prev_link: Optional[Address] = None
    publisher: Optional[str] = None  # signed packets: the publisher's public key (hex)
    public_payload: bytes = b""
    masked_payload: bytes = b""
    has_access: bool = False  # keyloads: whether this user got the session key
    forked: bool = False  # several valid messages at this address: their sender forked its state


@dataclass(frozen=True)
class SignedPacket:
    publisher: str
    public_payload: bytes
    masked_payload: bytes


@dataclass(frozen=True)
class TaggedPacket:
    public_payload: bytes
    masked_payload: bytes


@dataclass(frozen=True)
class Cursor:
    """One entry of fetch_state / gen_next_msg_ids: an identity (public key or PSK id, hex) and where
    it stands."""

    identifier: str
    is_psk: bool
    link: Address
    branch_no: int
    seq_no: int


@dataclass(frozen=True)
class Refusal:
    """A message found at an address and not read, and why (a junk message, a forged one, a copy
    that fails its signature). candidate: its position among the distinct messages found there,
    smallest bytes first; None when the address as a whole was refused."""

    link: Address
    candidate: Optional[int]
    reason: str


class FetchResult(list):
    """What fetch_next_msgs and fetch_all_next_msgs return: the messages read (this is a list of
    UnwrappedMessage, so `for m in result` and `while result := ...` work as with a plain list), the
    messages refused at the next addresses (`refused`, each with its reason; the cursors stay there),
    and the reason the transport failed after some messages were read (`transport_error`, else None;
    a failure before anything was read raises StreamsError)."""

    def __init__(self, messages: Iterable["UnwrappedMessage"] = (), refused: Iterable[Refusal] = (),
                 transport_error: Optional[str] = None) -> None:
        super().__init__(messages)
        self.refused: List[Refusal] = list(refused)
        self.transport_error: Optional[str] = transport_error

    @property
    def messages(self) -> List["UnwrappedMessage"]:
        return list(self)

    def ok(self) -> bool:
        """The transport did not fail."""
        return self.transport_error is None

    def nothing_new(self) -> bool:
        """No message read, none refused, the transport did not fail."""
        return not self and not self.refused and self.ok()

    def __repr__(self) -> str:
        return (f"FetchResult({list(self)!r}, refused={self.refused!r}, "
                f"transport_error={self.transport_error!r})")
