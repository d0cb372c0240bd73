#!/usr/bin/env python3
"""Live interoperability: the official IOTA Streams library (npm @iota/streams 1.2.1, driven through
official.js) and ours (the `streams` CLI with --node) on one channel, both talking to our streams-node,
which checks the PoW of everything posted (--min-pow-score above zero).

For each channel type and in both directions (official author with our subscribers, our author with
official subscribers) a scenario publishes keyloads for a subset, for PSK holders and for everyone,
signed and tagged packets from the author and from subscribers, and an unsubscribe; every reader must
read exactly the payloads it should. Then states cross over: an official author's exported state goes
on in our CLI, and our subscriber's state goes on in the official library. Last, the node refuses a
message whose nonce was altered.

usage: interop_test.py STREAMS STREAMS_NODE [scenario...]
"""
import json
import os
import subprocess
import sys
import tempfile

STREAMS, STREAMS_NODE = sys.argv[1], sys.argv[2]
ONLY = sys.argv[3:]
HERE = os.path.dirname(os.path.abspath(__file__))
MIN_POW_SCORE = "20"
PASSWORD = "interop password"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import StreamsNode, check, finish  # noqa: E402

def Node(directory):
    return StreamsNode(STREAMS_NODE, os.path.join(directory, "node.db"), "--min-pow-score", MIN_POW_SCORE,
                       "--remote-pow", "on")


class Official:
    """The official library in one Node.js process; users are named."""

    def __init__(self, url):
        env = dict(os.environ, STREAMS_NODE_URL=url)
        self.process = subprocess.Popen(["node", os.path.join(HERE, "official.js")], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=env, cwd=HERE)

    def call(self, op, **request):
        self.process.stdin.write(json.dumps(dict(op=op, **request)) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if not answer.pop("ok"):
            raise RuntimeError(f"official {op} {request}: {answer['error']}")
        return answer

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def split_links(text):
    parts = text.split(" ")
    return parts[0], (parts[1] if len(parts) > 1 else None)


def payload_lines(messages):
    """What a reader read: signed and tagged packets, as (type, publisher, public, masked), sorted."""
    return sorted((m["type"], m["publisher"] or "", m["public"], m["masked"])
                  for m in messages if m["type"] in ("signed", "tagged"))


class OfficialUser:
    side = "official"

    def __init__(self, official, name):
        self.official, self.name = official, name
        self.pk = None

    def create_author(self, seed, channel_type):
        self.pk = self.official.call("author", name=self.name, seed=seed, type=channel_type)["pk"]

    def create_subscriber(self, seed):
        self.pk = self.official.call("subscriber", name=self.name, seed=seed)["pk"]

    def _links(self, op, **request):
        answer = self.official.call(op, user=self.name, **request)
        return answer["link"], answer["seq"]

    def announce(self):
        return self._links("announce")[0]

    def receive_announce(self, link):
        self.official.call("receive_announcement", user=self.name, link=link)

    def subscribe(self, link):
        return self._links("subscribe", link=link)[0]

    def unsubscribe(self, link):
        return self._links("unsubscribe", link=link)[0]

    def receive_subscribe(self, link):
        self.official.call("receive_subscribe", user=self.name, link=link)

    def receive_unsubscribe(self, link):
        self.official.call("receive_unsubscribe", user=self.name, link=link)

    def store_psk(self, seed):
        return self.official.call("store_psk", user=self.name, seed=seed)["id"]

    def keyload(self, link, pks=(), psks=()):
        return self._links("keyload", link=link, pks=list(pks), psks=list(psks))

    def packet(self, kind, link, public, masked):
        return self._links(kind, link=link, public=public.hex(), masked=masked.hex())

    def fetch(self):
        return payload_lines(self.official.call("fetch", user=self.name)["messages"])

    def export_official(self):
        return bytes.fromhex(self.official.call("export", user=self.name, password=PASSWORD)["state"])

    def import_official(self, role, state):
        self.pk = self.official.call("import", name=self.name, role=role, state=state.hex(),
                                     password=PASSWORD)["pk"]


class OurUser:
    side = "ours"

    def __init__(self, directory, url, name):
        self.directory, self.url, self.name = directory, url, name
        self.state = os.path.join(directory, name + ".state")
        self.pk = None

    def run(self, *args):
        command = [STREAMS, "--state", self.state, "--password", PASSWORD, "--node", self.url, *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"ours {self.name}: streams {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout.strip()

    def create_author(self, seed, channel_type):
        self.run("author", "create", "--seed", seed, "--type", channel_type)
        self.pk = json.loads(self.run("info"))["pk"]

    def create_subscriber(self, seed):
        self.pk = self.run("subscriber", "create", "--seed", seed)

    def announce(self):
        return self.run("announce")

    def receive_announce(self, link):
        self.run("receive-announce", link)

    def subscribe(self, link):
        return self.run("subscribe", link)

    def unsubscribe(self, link):
        return self.run("unsubscribe", link)

    def receive_subscribe(self, link):
        self.run("receive-subscribe", link)

    def receive_unsubscribe(self, link):
        self.run("receive-unsubscribe", link)

    def store_psk(self, seed):
        return self.run("store-psk", seed)

    def keyload(self, link, pks=(), psks=()):
        args = [a for pk in pks for a in ("--pk", pk)] + [a for i in psks for a in ("--psk", i)]
        return split_links(self.run("keyload", link, *args))

    def packet(self, kind, link, public, masked):
        return split_links(self.run(kind, link, public.hex(), masked.hex(), "--hex"))

    def fetch(self):
        return payload_lines(json.loads(line) for line in self.run("fetch").splitlines() if line)

    def export_official(self):
        path = os.path.join(self.directory, self.name + ".official")
        self.run("export", path, "--format", "official")
        with open(path, "rb") as f:
            return f.read()

    def import_official(self, role, state):
        path = os.path.join(self.directory, self.name + ".import")
        with open(path, "wb") as f:
            f.write(state)
        self.run("import", path, "--format", "official")
        self.pk = json.loads(self.run("info"))["pk"]


class Ledger:
    """What each reader should read: every packet with the readers able to open it."""

    def __init__(self, readers):
        self.expected = {name: [] for name in readers}

    def published(self, kind, publisher_pk, public, masked, readers):
        line = (kind, publisher_pk if kind == "signed" else "", public.hex(), masked.hex())
        for name in readers:
            self.expected[name].append(line)

    def check(self, users, label, left_out=()):
        for name, user in users.items():
            if name in left_out and user.side == "official":
                # The official wasm build (1.2.1) crashes ("memory access out of bounds") when a
                # subscriber fetches a keyload it is not a recipient of; only our readers are left out.
                print(f"skip {label}: {name} (official) was left out of the last keyload")
                self.expected[name] = []
                continue
            got = user.fetch()
            want = sorted(self.expected[name])
            check(got == want, f"{label}: {name} ({user.side}) reads exactly its {len(want)} packet(s)"
                  + ("" if got == want else f"; got {got}, want {want}"))
            self.expected[name] = []


def channel_scenario(make_author, make_subscriber, channel_type, label):
    """Author + subscribers "in" (in the subset keyload), "out" (left out), "psk" (PSK only)."""
    tag = f"{label} {channel_type}"
    author = make_author("author")
    author.create_author(f"{tag} author seed", channel_type)
    subs = {name: make_subscriber(name) for name in ("in", "out", "psk")}
    for name, sub in subs.items():
        sub.create_subscriber(f"{tag} {name} seed")

    announcement = author.announce()
    for sub in subs.values():
        sub.receive_announce(announcement)
    for name in ("in", "out"):
        author.receive_subscribe(subs[name].subscribe(announcement))
    psk_id = author.store_psk(f"{tag} psk")
    check(subs["psk"].store_psk(f"{tag} psk") == psk_id, f"{tag}: PSK ids agree across libraries")

    single_depth = channel_type == "single-depth"
    multi_branch = channel_type == "multi-branch"
    single_branch = channel_type == "single-branch"
    ledger = Ledger(subs.keys() | {"author"})
    everyone = {"in", "out", "psk"}

    keyload, _ = author.keyload(announcement, pks=[subs["in"].pk], psks=[psk_id])
    last = keyload
    for kind, public, masked in (("signed", b"a public 1", b"a masked 1"), ("tagged", b"a public 2", b"a masked 2")):
        link, _ = author.packet(kind, keyload if (single_depth or multi_branch) else last, public, masked)
        last = link
        ledger.published(kind, author.pk, public, masked, {"in", "psk"})
    ledger.check({**subs}, f"{tag}: subset + PSK keyload", left_out={"out"})

    if not single_depth:
        # A subscriber publishes; the author and the other reader of that keyload read it.
        for kind, public, masked in (("signed", b"in public", b"in masked"), ("tagged", b"in tag pub", b"in tag masked")):
            link, _ = subs["in"].packet(kind, keyload if multi_branch else last, public, masked)
            last = link
            ledger.published(kind, subs["in"].pk, public, masked, {"author", "psk"})
        ledger.check({"author": author, "psk": subs["psk"], "out": subs["out"]}, f"{tag}: subscriber packets",
                     left_out={"out"})
        subs["in"].fetch()  # its cursor moves past its own packets

    # A keyload for everyone. In a multi-branch channel it links to the announcement and the subscriber
    # left out so far reads again. In a single-branch channel every message links to the last one (a
    # reader finds the next message from the last it read), and in a single-depth channel to the anchor
    # (the first keyload), so a reader who could not open that message cannot come back, in either
    # library: it must still not get stuck or read anything masked.
    back_in = everyone if multi_branch else {"in", "psk"}
    everyone_keyload, _ = author.keyload(last if single_branch else keyload if single_depth else announcement)
    link, _ = author.packet("signed", everyone_keyload, b"all public", b"all masked")
    last = link
    ledger.published("signed", author.pk, b"all public", b"all masked", back_in)
    ledger.check({**subs}, f"{tag}: keyload for everyone", left_out=everyone - back_in)

    if not single_depth:
        # "in" unsubscribes: the next keyload for everyone leaves it out.
        author.receive_unsubscribe(subs["in"].unsubscribe(last))
        after, _ = author.keyload(last if single_branch else announcement)
        link, _ = author.packet("signed", after, b"after public", b"after masked")
        ledger.published("signed", author.pk, b"after public", b"after masked", back_in - {"in"})
        ledger.check({**subs}, f"{tag}: after an unsubscribe", left_out=everyone - (back_in - {"in"}))


def state_crossover(official, directory, url):
    """An official author's state goes on in our CLI; our subscriber's state goes on in the official."""
    tag = "crossover"
    author = OfficialUser(official, "x-author")
    author.create_author(f"{tag} author", "single-branch")
    ours_sub = OurUser(directory, url, "x-ours")
    ours_sub.create_subscriber(f"{tag} ours sub")
    their_sub = OfficialUser(official, "x-theirs")
    their_sub.create_subscriber(f"{tag} their sub")
    announcement = author.announce()
    for sub in (ours_sub, their_sub):
        sub.receive_announce(announcement)
        author.receive_subscribe(sub.subscribe(announcement))
    keyload, _ = author.keyload(announcement)
    p1, _ = author.packet("signed", keyload, b"p1", b"m1")
    check(ours_sub.fetch() == [("signed", author.pk, b"p1".hex(), b"m1".hex())], f"{tag}: our subscriber reads p1")

    moved = OurUser(directory, url, "x-author-ours")
    moved.import_official("author", author.export_official())
    check(moved.pk == author.pk, f"{tag}: the official author's state imports into ours (same key)")
    p2, _ = moved.packet("signed", p1, b"p2", b"m2")
    check(their_sub.fetch() == sorted([("signed", author.pk, b"p1".hex(), b"m1".hex()),
                                       ("signed", author.pk, b"p2".hex(), b"m2".hex())]),
          f"{tag}: the official subscriber reads what the imported author publishes")

    sub_moved = OfficialUser(official, "x-ours-in-official")
    sub_moved.import_official("subscriber", ours_sub.export_official())
    check(sub_moved.pk == ours_sub.pk, f"{tag}: our subscriber's state imports into the official library")
    moved.packet("signed", p2, b"p3", b"m3")
    check(sub_moved.fetch() == sorted([("signed", author.pk, b"p2".hex(), b"m2".hex()),
                                       ("signed", author.pk, b"p3".hex(), b"m3".hex())]),
          f"{tag}: the official library goes on reading with our subscriber's state")


def pow_checks(node):
    """Everything above was posted with PoW checked; an altered nonce must be refused."""
    status, tips = node.json("GET", "/api/v1/tips")
    check(status == 200, "tips answer")
    tip = tips["data"]["tipMessageIds"][0]
    status, _, raw = node.request("GET", f"/api/v1/messages/{tip}/raw")
    check(status == 200 and len(raw) > 8, "a stored message reads back raw")
    _, info = node.json("GET", "/api/v1/info")
    check(info["data"]["minPoWScore"] == float(MIN_POW_SCORE), "the node announces its PoW score")
    # Another non-zero nonce (nonce 0 would ask this node for remote PoW).
    nonce = int.from_bytes(raw[-8:], "little") ^ 1
    bad = raw[:-8] + (nonce if nonce else 2).to_bytes(8, "little")
    status, _, body = node.request("POST", "/api/v1/messages", bad, "application/octet-stream")
    check(400 <= status < 500 and b"pow" in body.lower(), f"a message with a wrong nonce is refused ({status})")


def main():
    with tempfile.TemporaryDirectory() as directory:
        node = Node(directory)
        official = Official(node.url)
        try:
            sides = {
                "official-author": (lambda n: OfficialUser(official, "oa-" + n),
                                    lambda n: OurUser(directory, node.url, "oa-" + n)),
                # Official subscribers "in" and "psk"; the reader left out of keyloads is ours (see
                # Ledger.check for why).
                "our-author": (lambda n: OurUser(directory, node.url, "ua-" + n),
                               lambda n: (OurUser(directory, node.url, "ua-" + n) if n.endswith("out")
                                          else OfficialUser(official, "ua-" + n))),
            }
            for label, (make_author, make_subscriber) in sides.items():
                for channel_type in ("single-branch", "multi-branch", "single-depth"):
                    name = f"{label}/{channel_type}"
                    if ONLY and name not in ONLY:
                        continue
                    prefixed = (lambda f, p: (lambda n: f(p + n)))
                    tag = "".join(word[0] for word in channel_type.split("-")) + "-"  # sb-, mb-, sd-
                    try:
                        channel_scenario(prefixed(make_author, tag), prefixed(make_subscriber, tag), channel_type,
                                         label)
                    except RuntimeError as e:
                        check(False, f"{name}: {e}")
            if not ONLY or "crossover" in ONLY:
                try:
                    state_crossover(official, directory, node.url)
                except RuntimeError as e:
                    check(False, f"crossover: {e}")
            pow_checks(node)
        finally:
            official.stop()
            node.stop()
    return finish("interop")


if __name__ == "__main__":
    sys.exit(main())
