"""Shared by the Python tests (node, CLI, interop): one line per check, a summary with the exit code,
and streams-node as a child process on a free loopback port."""
import hashlib
import json
import re
import subprocess
import urllib.error
import urllib.request

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def finish(what):
    """The exit code of a test script: 1 (with the count) when any check failed."""
    if failures:
        print(f"{len(failures)} {what} check(s) failed")
        return 1
    print(f"all {what} checks passed")
    return 0


def index_of(address):
    """The Chrysalis index (hex) of a Streams address in its text form `<channel>:<msgid>`."""
    channel, msgid = address.split(":")
    return hashlib.blake2b(bytes.fromhex(channel + msgid), digest_size=32).hexdigest()


class StreamsNode:
    """streams-node listening on 127.0.0.1 at a port it picks; `url` is where it serves."""

    def __init__(self, binary, db, *options):
        self.process = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--db", db, *options],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line)
        if not match:
            self.process.kill()
            raise SystemExit(f"streams-node did not start: {line}")
        self.url = match.group(1)

    def request(self, method, path, body=None, content_type=None, timeout=30):
        """(status, content type, body); HTTP errors are answers too."""
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read()

    def json(self, method, path, body=None, content_type=None):
        status, _, raw = self.request(method, path, body, content_type)
        return status, json.loads(raw) if raw else None

    def post(self, raw):
        return self.json("POST", "/api/v1/messages", raw, "application/octet-stream")

    def post_data(self, index_hex, data, parent=b"\x01" * 32):
        """Posts `data` at an index as anyone may: an indexation message without PoW (the node's default
        minimum score is 0), under this node's network id. (status, answer)."""
        _, info = self.json("GET", "/api/v1/info")
        network = int.from_bytes(hashlib.blake2b(info["data"]["networkId"].encode(), digest_size=32).digest()[:8],
                                 "little")
        index = bytes.fromhex(index_hex)
        payload = (2).to_bytes(4, "little") + len(index).to_bytes(2, "little") + index + \
            len(data).to_bytes(4, "little") + data
        raw = network.to_bytes(8, "little") + bytes([1]) + parent + len(payload).to_bytes(4, "little") + \
            payload + (0).to_bytes(8, "little")
        return self.post(raw)

    def ids_at(self, index_hex):
        """The message ids the node holds at an index."""
        _, answer = self.json("GET", f"/api/v1/messages?index={index_hex}")
        return answer["data"]["messageIds"]

    def stop(self, kill=False):
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        self.process.wait(timeout=30)
