#!/usr/bin/env python3
"""Two streams-node processes on one PostgreSQL database serve one network (CTest fixture 'postgres').

usage: node_pg_test.py STREAMS_NODE

  cross-read   a message posted to either node is read from both: by id, raw, index, metadata, children
  tips         posts alternate between the nodes with node-chosen parents: both answer the same tips, and
               each new message's parent is the one posted just before to the other node
  concurrent   clients post to both nodes at once (node-chosen parents): every acknowledged message is
               read from both, both answer the same tips, and no tip has a child
  kill         one node killed with -9 while clients post to both: every message it acknowledged is read
               from the other
"""
import json
import os
import sys
import threading
import time

NODE = sys.argv[1]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import StreamsNode, check, finish  # noqa: E402
import pg  # noqa: E402
from node_test import blake2b, message, network_id, NETWORK  # noqa: E402


def post_json(node, index, data):
    """Posts an indexation message without parents (the node picks its tips); (status, id)."""
    body = {"networkId": str(network_id(NETWORK)), "payload": {"type": 2, "index": index.hex(), "data": data.hex()},
            "nonce": "0"}
    status, answer = node.json("POST", "/api/v1/messages", json.dumps(body).encode(), "application/json")
    return status, (answer or {}).get("data", {}).get("messageId")


def tips(node):
    return sorted(node.json("GET", "/api/v1/tips")[1]["data"]["tipMessageIds"])


def parents_of(node, message_id):
    status, meta = node.json("GET", f"/api/v1/messages/{message_id}/metadata")
    return meta["data"]["parentMessageIds"] if status == 200 else None


def cross_read(a, b):
    index = b"two nodes"
    first = message(index, b"posted to the first node")
    first_id = blake2b(first).hex()
    check(a.post(first)[0] == 201, "POST to the first node")
    second = message(index, b"posted to the second node", parents=(bytes.fromhex(first_id),))
    second_id = blake2b(second).hex()
    check(b.post(second)[0] == 201, "POST to the second node, a child of the first message")
    for name, node in (("first", a), ("second", b)):
        check(node.request("GET", f"/api/v1/messages/{first_id}/raw")[2] == first and
              node.request("GET", f"/api/v1/messages/{second_id}/raw")[2] == second,
              f"the {name} node reads both messages' bytes")
        check(node.ids_at(index.hex()) == [first_id, second_id], f"the {name} node lists both at the index, in order")
        status, children = node.json("GET", f"/api/v1/messages/{first_id}/children")
        check(children["data"]["childrenMessageIds"] == [second_id], f"the {name} node sees the child")
        check(tips(node) == [second_id], f"the {name} node's tip is the child, wherever it was posted")
    check(a.post(second)[0] == 201 and b.post(first)[0] == 201, "a message already stored through the other node: "
          "accepted again")
    check(a.json("GET", "/api/v1/info")[0] == 200, "the first node still serves")


def alternating_tips(a, b):
    index = b"alternating"
    previous = None
    ok = True
    for i in range(20):
        node = (a, b)[i % 2]
        status, posted = post_json(node, index, f"turn {i}".encode())
        if status != 201:
            check(False, f"POST {i}: {status}")
            return
        if previous is not None and parents_of((b, a)[i % 2], posted) != [previous]:
            ok = False
        if tips(a) != [posted] or tips(b) != [posted]:
            ok = False
        previous = posted
    check(ok, "alternating posts: each message's parent is the one posted before to the other node, and both "
              "nodes answer it as the only tip")


def concurrent(a, b):
    acknowledged, errors, lock = [], [], threading.Lock()

    def client(node, prefix, count):
        for i in range(count):
            try:
                status, posted = post_json(node, prefix.encode(), f"{prefix} {i}".encode())
            except OSError as e:
                status, posted = str(e), None
            with lock:
                (acknowledged.append((prefix, posted)) if status == 201 else errors.append(f"{prefix} {i}: {status}"))

    clients = [threading.Thread(target=client, args=((a, b)[c % 2], f"client-{c}", 50)) for c in range(8)]
    for t in clients:
        t.start()
    for t in clients:
        t.join(timeout=240)
    check(not any(t.is_alive() for t in clients) and errors == [], f"400 posts to two nodes at once ({errors[:3]})")
    for name, node in (("first", a), ("second", b)):
        missing = 0
        for c in range(8):
            want = sorted(i for p, i in acknowledged if p == f"client-{c}")
            missing += len(set(want) - set(node.ids_at(f"client-{c}".encode().hex())))
        check(missing == 0 and len(acknowledged) == 400, f"the {name} node lists every acknowledged message ({missing} "
                                                         "missing)")
    shared = tips(a)
    check(shared == tips(b), "both nodes answer the same tips")
    childless = all(b.json("GET", f"/api/v1/messages/{t}/children")[1]["data"]["childrenMessageIds"] == []
                    for t in shared)
    check(childless, f"no tip has a child ({len(shared)} tips)")


def kill_one(url):
    a, b = StreamsNode(NODE, url), StreamsNode(NODE, url)
    acknowledged, errors, lock = [], [], threading.Lock()
    stop = threading.Event()

    def client(node, prefix):
        for i in range(5000):
            if stop.is_set():
                return
            try:
                status, posted = post_json(node, prefix.encode(), f"{prefix} {i}".encode())
            except OSError:
                return  # the killed node
            with lock:
                (acknowledged.append(posted) if status == 201 else errors.append(status))

    clients = [threading.Thread(target=client, args=((a, b)[c % 2], f"kill-{c}")) for c in range(4)]
    try:
        for t in clients:
            t.start()
        time.sleep(1.0)
        a.stop(kill=True)
        time.sleep(0.5)
        stop.set()
        for t in clients:
            t.join(timeout=60)
        with lock:
            acked = list(acknowledged)
        check(len(acked) > 0, f"messages were acknowledged before the kill ({len(acked)})")
        missing = [i for i in acked if b.request("GET", f"/api/v1/messages/{i}/raw")[0] != 200]
        check(missing == [], f"every message either node acknowledged is read from the survivor ({len(missing)} "
                             "missing)")
        status, posted = post_json(b, b"after the kill", b"still serving")
        check(status == 201 and tips(b) == [posted], "the survivor goes on, its new message the only tip")
    finally:
        b.stop()


def main():
    url = pg.fresh_database(f"two_nodes_{os.getpid()}")
    a, b = StreamsNode(NODE, url), StreamsNode(NODE, url)
    try:
        cross_read(a, b)
        alternating_tips(a, b)
        concurrent(a, b)
    finally:
        a.stop()
        b.stop()
    kill_one(pg.fresh_database(f"two_nodes_kill_{os.getpid()}"))
    return finish("two-node")


if __name__ == "__main__":
    sys.exit(main())
