#!/usr/bin/env python3
"""streams-node as a separate process, over loopback.

usage: node_test.py STREAMS_NODE api|load|crash [DB]

  DB (or the environment's STREAMS_NODE_TEST_DB): the --db every node of the suite is started with,
  e.g. a postgresql:// URL naming an empty database (one per suite run); by default each node gets its
  own SQLite file in a temporary directory.

  api    response shapes of every route; every malformed request gets a 4xx with a reason, and the node
         keeps serving
  load   many concurrent posts and index reads from other threads: nothing lost, no error, bounded time
  crash  kill -9 while clients post; after a restart every acknowledged message is there
"""
import hashlib
import json
import os
import sys
import tempfile
import threading
import time

NODE = sys.argv[1]
NETWORK = "streams-local"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import StreamsNode, check, finish  # noqa: E402
def blake2b(data):
    return hashlib.blake2b(data, digest_size=32).digest()


def network_id(name):
    return int.from_bytes(blake2b(name.encode())[:8], "little")


def message(index, data, parents=(bytes(32),), network=NETWORK, nonce=0, sort=True):
    payload = (2).to_bytes(4, "little") + len(index).to_bytes(2, "little") + index + \
        len(data).to_bytes(4, "little") + data
    out = network_id(network).to_bytes(8, "little") + bytes([len(parents)]) + b"".join(sorted(parents) if sort else parents)
    return out + len(payload).to_bytes(4, "little") + payload + nonce.to_bytes(8, "little")


DB = (sys.argv[3] if len(sys.argv) > 3 and __name__ == "__main__" else "") or os.environ.get("STREAMS_NODE_TEST_DB", "")


def Node(db, *options):
    return StreamsNode(NODE, DB or db, *options)


def refused(node, label, status_range, reason, method, path, body=None, content_type=None):
    status, _, raw = node.request(method, path, body, content_type)
    try:
        message = json.loads(raw)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = ""
    check(status in status_range, f"{label}: {status}")
    check(reason.lower() in message.lower(), f"{label}: the reason says '{reason}' ({message!r})")
    check(node.request("GET", "/health")[0] == 200, f"{label}: the node still serves")


def api(directory):
    node = Node(os.path.join(directory, "api.db"))
    try:
        check(node.request("GET", "/health")[0] == 200, "GET /health")
        status, info = node.json("GET", "/api/v1/info")
        fields = {"name", "version", "isHealthy", "networkId", "bech32HRP", "minPoWScore", "messagesPerSecond",
                  "referencedMessagesPerSecond", "referencedRate", "latestMilestoneTimestamp",
                  "latestMilestoneIndex", "confirmedMilestoneIndex", "pruningIndex", "features"}
        check(status == 200 and fields <= set(info["data"]) and info["data"]["networkId"] == NETWORK,
              "GET /api/v1/info has every field a Chrysalis client reads")
        status, tips = node.json("GET", "/api/v1/tips")
        check(status == 200 and tips["data"]["tipMessageIds"] == ["00" * 32], "an empty node's tip is the genesis")

        index = b"streams index 1"
        first = message(index, b"first")
        status, posted = node.post(first)
        first_id = blake2b(first).hex()
        check(status == 201 and posted["data"]["messageId"] == first_id, "POST binary: 201 and the message id")
        check(node.post(first)[0] == 201, "POST of a message already stored: accepted again")
        second = {"networkId": str(network_id(NETWORK)), "parentMessageIds": [first_id],
                  "payload": {"type": 2, "index": index.hex(), "data": b"second".hex()}, "nonce": "0"}
        status, posted = node.json("POST", "/api/v1/messages", json.dumps(second).encode(), "application/json")
        second_raw = message(index, b"second", parents=(bytes.fromhex(first_id),))
        second_id = blake2b(second_raw).hex()
        check(status == 201 and posted["data"]["messageId"] == second_id,
              "POST JSON: the node serializes it exactly as the binary form")

        status, found = node.json("GET", f"/api/v1/messages?index={index.hex()}")
        check(status == 200 and found["data"]["messageIds"] == [first_id, second_id] and found["data"]["count"] == 2
              and found["data"]["index"] == index.hex(), "GET messages by index: both, oldest first")
        status, found = node.json("GET", f"/api/v1/messages?index={b'nothing here'.hex()}")
        check(status == 200 and found["data"]["messageIds"] == [], "an unused index: an empty list")

        status, got = node.json("GET", f"/api/v1/messages/{second_id}")
        check(status == 200 and got["data"] == second, "GET message: the JSON form")
        status, content_type, raw = node.request("GET", f"/api/v1/messages/{second_id}/raw")
        check(status == 200 and raw == second_raw and content_type.startswith("application/octet-stream"),
              "GET raw: the exact bytes")
        status, meta = node.json("GET", f"/api/v1/messages/{second_id}/metadata")
        check(status == 200 and meta["data"]["messageId"] == second_id and meta["data"]["isSolid"] is True
              and meta["data"]["parentMessageIds"] == [first_id], "GET metadata")
        status, children = node.json("GET", f"/api/v1/messages/{first_id}/children")
        check(status == 200 and children["data"]["childrenMessageIds"] == [second_id], "GET children")
        status, tips = node.json("GET", "/api/v1/tips")
        check(tips["data"]["tipMessageIds"] == [second_id], "tips: the message nothing refers to yet")

        # Malformed requests.
        good = message(b"x", b"y")
        refused(node, "truncated message", range(400, 500), "truncated", "POST", "/api/v1/messages", good[:-3],
                "application/octet-stream")
        refused(node, "wrong network id", range(400, 500), "network id", "POST", "/api/v1/messages",
                message(b"x", b"y", network="another network"), "application/octet-stream")
        refused(node, "a message over 32 KiB", range(400, 500), "32768", "POST", "/api/v1/messages",
                message(b"x", bytes(33000)), "application/octet-stream")
        refused(node, "an oversized body", range(400, 500), "too large", "POST", "/api/v1/messages",
                bytes(300 * 1024), "application/octet-stream")
        refused(node, "unsorted parents", range(400, 500), "sorted", "POST", "/api/v1/messages",
                message(b"x", b"y", parents=(b"\x02" * 32, b"\x01" * 32), sort=False), "application/octet-stream")
        refused(node, "bad hex index", range(400, 500), "index", "GET", "/api/v1/messages?index=zz")
        refused(node, "missing index", range(400, 500), "index", "GET", "/api/v1/messages")
        refused(node, "bad JSON", range(400, 500), "invalid JSON", "POST", "/api/v1/messages", b"{\"payload\": ",
                "application/json")
        refused(node, "JSON with bad hex data", range(400, 500), "hex", "POST", "/api/v1/messages",
                json.dumps({"payload": {"type": 2, "index": "00", "data": "xyz"}}).encode(), "application/json")
        refused(node, "JSON without a payload", range(400, 500), "payload", "POST", "/api/v1/messages",
                json.dumps({"nonce": "0"}).encode(), "application/json")
        refused(node, "a malformed message id", range(400, 500), "message id", "GET", "/api/v1/messages/1234")
        refused(node, "an unknown message id", range(404, 405), "not found", "GET", f"/api/v1/messages/{'ab' * 32}")
        refused(node, "an unknown route", range(404, 405), "no route", "GET", "/api/v2/whatever")
    finally:
        node.stop()

    # A minimum PoW score: a message without PoW is refused with the reason.
    node = Node(os.path.join(directory, "pow.db"), "--min-pow-score", "100")
    try:
        status, info = node.json("GET", "/api/v1/info")
        check(info["data"]["minPoWScore"] == 100 and info["data"]["features"] == [],
              "info names the minimum score and no remote PoW")
        refused(node, "a message without enough PoW", range(400, 500), "pow score", "POST", "/api/v1/messages",
                message(b"x", b"no pow", nonce=5), "application/octet-stream")
        refused(node, "nonce 0 without remote PoW", range(400, 500), "no remote PoW", "POST", "/api/v1/messages",
                message(b"x", b"no pow"), "application/octet-stream")
    finally:
        node.stop()
    node = Node(os.path.join(directory, "remote-pow.db"), "--min-pow-score", "100", "--remote-pow", "on")
    try:
        raw = message(b"x", b"remote pow")
        status, posted = node.post(raw)
        check(status == 201, "nonce 0 with remote PoW: the node does the PoW")
        status, _, stored = node.request("GET", f"/api/v1/messages/{posted['data']['messageId']}/raw")
        check(stored[:-8] == raw[:-8] and stored[-8:] != bytes(8), "the stored message carries the node's nonce")
    finally:
        node.stop()


def poster(node, prefix, count, acknowledged, errors, lock):
    for i in range(count):
        raw = message(prefix.encode(), f"{prefix} message {i}".encode())
        try:
            status, body = node.post(raw)
        except OSError as e:
            with lock:
                errors.append(f"{prefix} {i}: {e}")
            return
        with lock:
            if status == 201:
                acknowledged.append((prefix, body["data"]["messageId"]))
            else:
                errors.append(f"{prefix} {i}: HTTP {status} {body}")


def reader(node, indexes, rounds, errors, lock):
    for _ in range(rounds):
        for index in indexes:
            status, found = node.json("GET", f"/api/v1/messages?index={index.encode().hex()}")
            if status != 200:
                with lock:
                    errors.append(f"read {index}: HTTP {status}")


def load(directory):
    node = Node(os.path.join(directory, "load.db"))
    writers, per_writer, readers = 8, 40, 4
    acknowledged, errors, lock = [], [], threading.Lock()
    prefixes = [f"writer-{w}" for w in range(writers)]
    threads = [threading.Thread(target=poster, args=(node, p, per_writer, acknowledged, errors, lock)) for p in prefixes]
    threads += [threading.Thread(target=reader, args=(node, prefixes, 20, errors, lock)) for _ in range(readers)]
    start = time.monotonic()
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=240)
        seconds = time.monotonic() - start
        check(not any(t.is_alive() for t in threads), f"the load finished within 240 s ({seconds:.1f} s)")
        check(errors == [], f"no error under load ({errors[:3]})")
        check(len(acknowledged) == writers * per_writer, f"every post acknowledged ({len(acknowledged)})")
        for prefix in prefixes:
            status, found = node.json("GET", f"/api/v1/messages?index={prefix.encode().hex()}")
            want = sorted(i for p, i in acknowledged if p == prefix)
            if sorted(found["data"]["messageIds"]) != want:
                check(False, f"index {prefix} lists every message posted to it")
                break
        else:
            check(True, "every index lists exactly the messages posted to it")
        print(f"load: {len(acknowledged)} posts and {readers * 20 * writers} index reads in {seconds:.1f} s")
    finally:
        node.stop()


def crash(directory):
    db = os.path.join(directory, "crash.db")
    node = Node(db)
    acknowledged, errors, lock = [], [], threading.Lock()
    threads = [threading.Thread(target=poster, args=(node, f"crash-{w}", 5000, acknowledged, errors, lock))
               for w in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    node.stop(kill=True)  # SIGKILL while the posters are busy
    for t in threads:
        t.join(timeout=60)
    with lock:
        acked = list(acknowledged)
    check(len(acked) > 0, f"messages were acknowledged before the kill ({len(acked)})")
    check(len(acked) < 20000, "the kill came while clients were still posting")
    node = Node(db)
    try:
        missing = [i for _, i in acked if node.request("GET", f"/api/v1/messages/{i}/raw")[0] != 200]
        check(missing == [], f"every acknowledged message survived kill -9 ({len(missing)} missing)")
        check(node.post(message(b"after", b"restart"))[0] == 201, "the restarted node accepts new messages")
    finally:
        node.stop()


def main():
    with tempfile.TemporaryDirectory() as directory:
        {"api": api, "load": load, "crash": crash}[sys.argv[2]](directory)
    return finish("node")


if __name__ == "__main__":
    sys.exit(main())
