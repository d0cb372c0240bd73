#!/usr/bin/env python3
"""streams-node against slow, hostile and unlucky conditions, as a separate process over loopback.

usage: defence_test.py STREAMS_NODE FILL_STORE SUITE

  port       a second node on a port in use refuses to start; the first keeps serving
  options    every numeric option parsed strictly: nan, inf, negative, out of range -> usage error, exit 2
  fields     numeric fields of posted messages checked (400 with a reason); a negative, too large or
             lying Content-Length refused at once or at the body deadline; remote PoW limited per client
  slowloris  1,000 slow connections held open; a normal request is still answered within a second;
             slow connections closed at their deadline; connections over the bound closed at once
  unwritable database files deleted while the node runs: writes 5xx with a reason, /health unhealthy
  metrics    /metrics in Prometheus text format (requests, ingest latency, group commits, stored, tips);
             one JSON log line per request with STREAMS_NODE_LOG=1
  scale      a POST on a database of 200,000 messages costs within 2x of one on an empty database
             (ratio of medians measured in one run, the two nodes alternating)
"""
import http.client
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time

NODE, FILL = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import StreamsNode, check, finish  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from node_test import message, network_id, NETWORK  # noqa: E402


def port_of(node):
    return int(node.url.rsplit(":", 1)[1])


def error_message(raw):
    try:
        return json.loads(raw)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return ""


def raw_exchange(port, data, wait=5.0):
    """Sends bytes on a new connection; (what came back before the node closed or `wait` passed, seconds)."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.settimeout(wait)
        s.sendall(data)
        received = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                received += chunk
        except socket.timeout:
            pass
    return received, time.monotonic() - start


def port(directory):
    first = StreamsNode(NODE, os.path.join(directory, "first.db"))
    try:
        second = subprocess.run([NODE, "--listen", f"127.0.0.1:{port_of(first)}", "--db", os.path.join(directory, "second.db")],
                                capture_output=True, text=True, timeout=30)
        check(second.returncode == 1, f"a second node on a port in use exits with 1 ({second.returncode})")
        check("in use" in second.stderr, f"and says why ({second.stderr.strip()!r})")
        for i in range(20):
            status, _ = first.post(message(b"port", f"after {i}".encode()))
            if status != 201:
                break
        check(status == 201, "the first node still serves every request")
        check(len(first.ids_at(b"port".hex())) == 20, "and holds every message posted")
    finally:
        first.stop()


def options(directory):
    db = os.path.join(directory, "options.db")
    bad = [("--min-pow-score", v) for v in ["nan", "inf", "-inf", "1e400", "-1", "", " 5", "0x10", "1e3", "5.", "1000001"]]
    bad += [("--listen", v) for v in ["127.0.0.1:70000", "127.0.0.1:-1", "127.0.0.1:", "127.0.0.1:8a"]]
    bad += [(o, v) for o in ["--max-connections", "--threads", "--header-timeout", "--body-timeout", "--remote-pow-seconds-per-minute"]
            for v in ["0", "-5", "1.5", "nan", "99999999999999999999999"]]
    bad += [("--remote-pow", "yes"), ("--network-name", ""), ("--no-such-option", "1")]
    for option, value in bad:
        run = subprocess.run([NODE, "--listen", "127.0.0.1:0", "--db", db, option, value],
                             capture_output=True, text=True, timeout=30)
        check(run.returncode == 2 and "usage" in run.stderr, f"{option} {value!r}: usage error, exit 2 ({run.returncode})")
    node = StreamsNode(NODE, db, "--min-pow-score", "4000.5", "--max-connections", "100", "--threads", "3",
                       "--header-timeout", "5", "--body-timeout", "5")
    try:
        status, info = node.json("GET", "/api/v1/info")
        check(status == 200 and info["data"]["minPoWScore"] == 4000.5, "valid options: the node starts and reports them")
    finally:
        node.stop()


def refused_json(node, label, body, reason):
    status, _, raw = node.request("POST", "/api/v1/messages", json.dumps(body).encode(), "application/json")
    text = error_message(raw)
    check(status == 400 and reason.lower() in text.lower(), f"{label}: 400 '{reason}' ({status} {text!r})")


def fields(directory):
    node = StreamsNode(NODE, os.path.join(directory, "fields.db"), "--body-timeout", "2")
    try:
        good = {"networkId": str(network_id(NETWORK)), "payload": {"type": 2, "index": "00", "data": "00"}, "nonce": "0"}
        refused_json(node, "networkId above 2^64", {**good, "networkId": str(2**64)}, "out of range")
        refused_json(node, "networkId negative", {**good, "networkId": "-1"}, "not a decimal number")
        refused_json(node, "networkId a number", {**good, "networkId": 5}, "decimal string")
        refused_json(node, "nonce above 2^64", {**good, "nonce": "99999999999999999999999"}, "out of range")
        refused_json(node, "type 2.5", {**good, "payload": {**good["payload"], "type": 2.5}}, "must be an integer")
        refused_json(node, "type \"2\"", {**good, "payload": {**good["payload"], "type": "2"}}, "must be an integer")
        refused_json(node, "type 2.0", {**good, "payload": {**good["payload"], "type": 2.0}}, "must be an integer")
        refused_json(node, "type 3", {**good, "payload": {**good["payload"], "type": 3}}, "indexation")
        refused_json(node, "nine parents", {**good, "parentMessageIds": ["%064x" % i for i in range(9)]}, "at most 8")
        status, posted = node.json("POST", "/api/v1/messages", json.dumps(good).encode(), "application/json")
        check(status == 201, "the well-formed message is stored")

        p = port_of(node)
        head = "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n"
        answer, seconds = raw_exchange(p, head.format(-5).encode())
        check(answer.startswith(b"HTTP/1.1 400") and b"Content-Length" in answer and seconds < 1.5,
              f"Content-Length -5: 400 at once ({answer[:12]!r}, {seconds:.2f} s)")
        answer, seconds = raw_exchange(p, head.format(10**9).encode())
        check(answer.startswith(b"HTTP/1.1 413") and seconds < 1.5, f"Content-Length 10^9: 413 at once ({answer[:12]!r}, {seconds:.2f} s)")
        answer, seconds = raw_exchange(p, head.format(1000).encode() + b"only a little", wait=15)
        check(answer == b"" and seconds < 10, f"a body shorter than its Content-Length: closed at the body deadline ({seconds:.1f} s)")
        check(node.request("GET", "/health")[0] == 200, "the node still serves")
    finally:
        node.stop()

    node = StreamsNode(NODE, os.path.join(directory, "pow.db"), "--min-pow-score", "3000", "--remote-pow", "on",
                       "--remote-pow-seconds-per-minute", "1")
    try:
        statuses, reason, start = [], "", time.monotonic()
        for i in range(200):  # each search takes a while; within a minute the client's second is used up
            status, _, raw = node.request("POST", "/api/v1/messages", message(b"pow", f"remote {i}".encode()),
                                          "application/octet-stream", timeout=120)
            statuses.append(status)
            if status != 201:
                reason = error_message(raw)
                break
        seconds = time.monotonic() - start
        check(statuses[0] == 201, f"remote PoW within the client's allowance ({statuses[:3]})")
        check(statuses[-1] == 429 and "a minute" in reason,
              f"over it ({len(statuses)} posts, {seconds:.1f} s): 429 with the reason ({statuses[-1]} {reason!r})")
    finally:
        node.stop()
    node = StreamsNode(NODE, os.path.join(directory, "pow-off.db"), "--min-pow-score", "50")
    try:
        status, _, raw = node.request("POST", "/api/v1/messages", message(b"pow", b"no remote"), "application/octet-stream")
        check(status == 400 and "no remote PoW" in error_message(raw), "remote PoW is off unless asked for")
    finally:
        node.stop()


def open_slow(port, count, kind):
    sockets = []
    for i in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        if kind == "header":
            s.sendall(b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\n")
        else:
            s.sendall(b"POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                      b"Content-Length: 1000\r\n\r\nab")
        sockets.append(s)
    return sockets


def closed_by_peer(s, wait):
    s.settimeout(wait)
    try:
        return s.recv(1024) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def slowloris(directory):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 1200
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    slow_count = min(1000, resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 100)
    check(slow_count == 1000, f"the test can hold 1,000 connections ({slow_count})")
    node = StreamsNode(NODE, os.path.join(directory, "slow.db"), "--header-timeout", "4", "--body-timeout", "4")
    slow = []
    try:
        p = port_of(node)
        slow = open_slow(p, slow_count // 2, "header") + open_slow(p, slow_count - slow_count // 2, "body")
        for round in range(3):  # keep them alive, one byte each at a time, as slowloris does
            for s in slow:
                try:
                    s.send(b"X" if round < 2 else b"-")
                except OSError:
                    pass
            answered = []
            for i in range(3):
                start = time.monotonic()
                try:
                    status, _, _ = node.request("POST", "/api/v1/messages", message(b"slow", f"r{round} {i}".encode()),
                                                "application/octet-stream", timeout=1.0)
                    status2, _, _ = node.request("GET", f"/api/v1/messages?index={b'slow'.hex()}", timeout=1.0)
                    answered.append(status == 201 and status2 == 200)
                except OSError:
                    answered.append(False)
            check(all(answered), f"round {round}: with {len(slow)} slow connections open, normal requests answered within 1 s")
        status, _, metrics = node.request("GET", "/metrics", timeout=1.0)
        line = [l for l in metrics.decode().splitlines() if l.startswith("streams_node_open_connections ")]
        check(line and int(line[0].split()[1]) >= slow_count, f"the node counts them open ({line})")
        deadline = time.monotonic() + 20
        still_open = 0
        for s in slow:
            if not closed_by_peer(s, max(0.01, deadline - time.monotonic())):
                still_open += 1
        check(still_open == 0, f"every slow connection closed at its deadline ({still_open} still open)")
    finally:
        for s in slow:
            s.close()
        node.stop()

    node = StreamsNode(NODE, os.path.join(directory, "bound.db"), "--max-connections", "20")
    held = []
    try:
        p = port_of(node)
        held = [socket.create_connection(("127.0.0.1", p)) for _ in range(20)]
        time.sleep(0.5)
        extra = socket.create_connection(("127.0.0.1", p))
        check(closed_by_peer(extra, 5), "a connection over the bound (20) is closed at once")
        extra.close()
        for s in held:
            s.close()
        held = []
        time.sleep(0.5)
        check(node.request("GET", "/health", timeout=5)[0] == 200, "below the bound again: served")
    finally:
        for s in held:
            s.close()
        node.stop()


def unwritable(directory):
    db = os.path.join(directory, "gone", "node.db")
    os.makedirs(os.path.dirname(db))
    node = StreamsNode(NODE, db)
    try:
        check(node.post(message(b"gone", b"before"))[0] == 201, "a message stored before")
        check(node.request("GET", "/health")[0] == 200, "healthy before")
        for suffix in ["", "-wal", "-shm"]:
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        status, _, raw = node.request("POST", "/api/v1/messages", message(b"gone", b"after"), "application/octet-stream")
        check(500 <= status < 600 and "deleted" in error_message(raw), f"a write after the files are deleted: 5xx ({status} {error_message(raw)!r})")
        status, _, raw = node.request("GET", "/health")
        check(status == 503 and "unhealthy" in error_message(raw), f"/health says unhealthy ({status} {error_message(raw)!r})")
        _, info = node.json("GET", "/api/v1/info")
        check(info["data"]["isHealthy"] is False, "/api/v1/info says isHealthy false")
    finally:
        node.stop()


def metrics(directory):
    env = dict(os.environ, STREAMS_NODE_LOG="1")
    process = subprocess.Popen([NODE, "--listen", "127.0.0.1:0", "--db", os.path.join(directory, "metrics.db")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    url = process.stdout.readline().split()[2]
    host, port_text = url[len("http://"):].split(":")
    connection = http.client.HTTPConnection(host, int(port_text), timeout=10)

    def request(method, path, body=None, content_type="application/octet-stream"):
        connection.request(method, path, body, {"Content-Type": content_type} if body is not None else {})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()

    try:
        posted = sum(request("POST", "/api/v1/messages", message(b"metrics", f"m{i}".encode()))[0] == 201 for i in range(5))
        check(posted == 5, "five messages stored")
        request("GET", "/api/v1/messages/" + "ab" * 32)
        request("GET", "/api/v1/messages?index=zz")
        status, content_type, body = request("GET", "/metrics")
        check(status == 200 and content_type.startswith("text/plain; version=0.0.4"), f"/metrics is Prometheus text ({content_type})")
        text = body.decode()
        samples, types = {}, {}
        shape_ok = True
        for line in text.splitlines():
            if line.startswith("# TYPE "):
                _, _, name, kind = line.split(" ", 3)
                types[name] = kind
            elif line.startswith("# HELP ") or not line:
                continue
            else:
                name_labels, _, value = line.rpartition(" ")
                try:
                    samples[name_labels] = float(value)
                except ValueError:
                    shape_ok = False
                base = name_labels.split("{")[0]
                family = base.rsplit("_bucket", 1)[0].rsplit("_sum", 1)[0].rsplit("_count", 1)[0]
                if family not in types and base not in types:
                    shape_ok = False
        check(shape_ok, "every sample is 'name{labels} value' under a TYPE line")
        check(types.get("streams_node_requests_total") == "counter" and types.get("streams_node_ingest_seconds") == "histogram"
              and types.get("streams_node_group_commit_messages") == "histogram"
              and types.get("streams_node_stored_messages") == "gauge" and types.get("streams_node_tips") == "gauge",
              f"the families and their types ({types})")
        check(samples.get('streams_node_requests_total{route="/api/v1/messages",status="201"}') == 5,
              "requests counted by route and status (POST 201)")
        check(samples.get('streams_node_requests_total{route="/api/v1/messages/{}",status="404"}') == 1
              and samples.get('streams_node_requests_total{route="/api/v1/messages",status="400"}') == 1,
              "and the refused ones (404, 400)")
        check(samples.get("streams_node_ingest_seconds_count") == 5 and samples.get('streams_node_ingest_seconds_bucket{le="+Inf"}') == 5,
              "ingest latency: one observation per stored message")
        buckets = [v for k, v in samples.items() if k.startswith("streams_node_ingest_seconds_bucket")]
        check(buckets == sorted(buckets), "histogram buckets are cumulative")
        check(samples.get("streams_node_group_commit_messages_sum") == 5, "group commits: five messages committed")
        check(samples.get("streams_node_stored_messages") == 5 and samples.get("streams_node_tips", 0) >= 1, "stored messages and tips")
    finally:
        connection.close()
        process.terminate()
        _, log = process.communicate(timeout=30)
    lines = [json.loads(l) for l in log.splitlines() if l.startswith("{")]
    check(len(lines) == 8, f"one JSON log line per request ({len(lines)})")
    check(all({"time_ms", "client", "method", "path", "route", "status", "ms"} <= set(l) for l in lines)
          and lines[0]["status"] == 201 and lines[-1]["path"] == "/metrics", "each names the request, its route, status and time")


def post_costs(node, label, rounds):
    connection = http.client.HTTPConnection("127.0.0.1", port_of(node), timeout=30)
    costs = []
    for i in range(rounds):
        body = json.dumps({"payload": {"type": 2, "index": b"scale".hex(), "data": f"{label} {i} {time.time()}".encode().hex()}})
        start = time.perf_counter()
        connection.request("POST", "/api/v1/messages", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        costs.append(time.perf_counter() - start)
        if response.status != 201:
            raise SystemExit(f"POST on the {label} node: {response.status}")
        connection.request("GET", "/api/v1/tips")
        connection.getresponse().read()
    connection.close()
    return costs


def scale(directory):
    size = 200_000
    big = os.path.join(directory, "big.db")
    start = time.monotonic()
    filled = subprocess.run([FILL, big, str(size)], capture_output=True, text=True, timeout=600)
    check(filled.returncode == 0 and filled.stdout.strip() == str(size),
          f"{size} messages stored directly ({time.monotonic() - start:.1f} s) {filled.stderr.strip()}")
    empty_node = StreamsNode(NODE, os.path.join(directory, "empty.db"))
    big_node = StreamsNode(NODE, big)
    try:
        empty, full = [], []
        post_costs(empty_node, "warm", 20)
        post_costs(big_node, "warm", 20)
        for r in range(10):  # alternating, so that the machine's load falls on both alike
            empty += post_costs(empty_node, f"empty {r}", 30)
            full += post_costs(big_node, f"full {r}", 30)
        ratio = statistics.median(full) / statistics.median(empty)
        print(f"scale: median POST (JSON, parents chosen by the node) + GET /tips: empty {statistics.median(empty) * 1e3:.2f} ms, "
              f"{size} messages {statistics.median(full) * 1e3:.2f} ms, ratio {ratio:.2f}")
        check(ratio < 2.0, f"a POST on {size} messages costs within 2x of one on an empty database (ratio {ratio:.2f})")
    finally:
        empty_node.stop()
        big_node.stop()


def main():
    with tempfile.TemporaryDirectory() as directory:
        {"port": port, "options": options, "fields": fields, "slowloris": slowloris, "unwritable": unwritable,
         "metrics": metrics, "scale": scale}[sys.argv[3]](directory)
    return finish("node defence")


if __name__ == "__main__":
    sys.exit(main())
