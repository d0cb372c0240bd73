#!/usr/bin/env python3
"""The explorer in headless Chromium: the page loads without console errors; a message the CLI wrote
shows in the recent list; the lookup finds it by message id, index and Streams address, with its public
header; the channel view of a multi-branch channel written by the CLI (two publishers, sequences, a
keyload) draws the right number of messages and links, keyboard-operable; readable at phone width. Saves
a screenshot of the channel view.

usage: browser_test.py STREAMS_BINARY STREAMS_NODE_BINARY SCREENSHOT_PNG
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, HERE)
from cdp import Browser  # noqa: E402
from checks import StreamsNode, check, finish, index_of  # noqa: E402

STREAMS, STREAMS_NODE, SCREENSHOT = sys.argv[1], sys.argv[2], sys.argv[3]


def cli(directory, state, *args):
    result = subprocess.run([STREAMS, "--state", state, "--password", "pw", "--store", "channel.db", *args],
                            cwd=directory, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"FAIL streams {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def write_channel(directory):
    """A multi-branch channel: author A and subscriber B both publish; A's keyload names B."""
    channel = cli(directory, "a.state", "author", "create", "--seed", "explorer author", "--type", "multi-branch")
    subscriber = cli(directory, "b.state", "subscriber", "create", "--seed", "explorer subscriber")
    announce = cli(directory, "a.state", "announce")
    cli(directory, "b.state", "receive-announce", announce)
    cli(directory, "a.state", "receive-subscribe", cli(directory, "b.state", "subscribe", announce))
    keyload = cli(directory, "a.state", "keyload", announce).split()[0]
    signed = cli(directory, "a.state", "signed", keyload, "reading 1", "secret 1").split()[0]
    cli(directory, "b.state", "fetch")
    tagged = cli(directory, "b.state", "tagged", signed, "reply", "secret reply").split()[0]
    cli(directory, "a.state", "tagged", keyload, "reading 2", "secret 2")
    # announce, B's subscribe, and four sequenced messages (keyload, signed, two tagged) with their
    # sequence messages: 10 messages; every message but the announce links to one (9), and each sequence
    # names one message (4).
    return channel, subscriber, tagged, 10, 13


def lookup(browser, text):
    browser.evaluate("document.getElementById('result').replaceChildren(); "
                     "document.getElementById('query').value = ''; document.getElementById('query').focus()")
    browser.call("Input.insertText", text=text)
    browser.press("Enter", "Enter", 13, "\r")


def main():
    with tempfile.TemporaryDirectory() as directory:
        channel, subscriber, tagged, nodes, edges = write_channel(directory)
        node = StreamsNode(STREAMS_NODE, os.path.join(directory, "channel.db"))
        browser = None
        try:
            ids = node.ids_at(index_of(tagged))
            check(len(ids) == 1, "the node holds the subscriber's tagged packet once")
            message_id, index = ids[0], index_of(tagged)
            # The API through the node's own routes: caps and refusals.
            status, recent = node.json("GET", "/api/explorer/recent?limit=100000")
            check(status == 200 and len(recent["messages"]) == 10, "GET /api/explorer/recent?limit=100000 answers (the cap lowers the limit)")
            status, page = node.json("GET", f"/api/explorer/channel/{channel}?limit=3")
            check(status == 200 and len(page["nodes"]) == 3 and page["next"], "a channel page stops at its limit, with a cursor")
            status, rest = node.json("GET", f"/api/explorer/channel/{channel}?cursor={page['next']}")
            check(status == 200 and len(rest["nodes"]) == nodes - 3 and rest["next"] is None, "the cursor gives the rest")
            status, _ = node.json("GET", f"/api/explorer/channel/{channel}?cursor=zz")
            check(status == 400, "a malformed cursor is refused (400)")
            with urllib.request.urlopen(node.url + "/explorer", timeout=30) as response:
                policy = response.headers.get("Content-Security-Policy", "")
            check("script-src 'self'" in policy and "connect-src 'self'" in policy,
                  "the page is served with a policy allowing only its own scripts and this node")
            status, content_type, _ = node.request("GET", "/explorer/nothing.js")
            check(status == 404 and content_type.startswith("application/json"), "an unknown explorer file is a 404")

            browser = Browser()
            for domain in ("Page", "Runtime", "Log"):
                browser.call(domain + ".enable")
            browser.call("Page.navigate", url=node.url + "/explorer")
            check(browser.wait_for("document.querySelectorAll('#recent-rows tr[data-id]').length >= 10"),
                  "the recent list shows the channel's messages")
            check(browser.evaluate(f"!!document.querySelector('#recent-rows tr[data-id=\"{message_id}\"]')"),
                  "a message the CLI posted appears in the recent list")
            row = browser.evaluate(f"[...document.querySelector('#recent-rows tr[data-id=\"{message_id}\"]').cells]"
                                   ".map(c => c.textContent)")
            check(row[0] not in ("", "unknown"), f"its row shows the time it arrived (got '{row[0]}')")
            check(row[2:] == ["tagged packet", subscriber[:8] + "…" + subscriber[-6:], "2", "yes"],
                  f"its row: type, the subscriber as publisher, seq 2, at its address (got {row})")
            check(browser.evaluate("document.getElementById('query').labels.length === 1"),
                  "the lookup field has a label")

            lookup(browser, message_id)
            shown = browser.wait_for(f"(document.querySelector('#result .message[data-id=\"{message_id}\"]') || "
                                     "{}).textContent")
            check(bool(shown) and "tagged packet" in shown and tagged in shown and "Address matches indexyes" in shown,
                  "lookup by message id shows its public header (type, address checked against the index)")
            check("Sequence number2" in (shown or ""),
                  "the header shows the subscriber's sequence number (2)")

            lookup(browser, index)
            check(browser.wait_for(f"document.getElementById('result').dataset.kind === 'index' && "
                                   f"!!document.querySelector('#result button[title=\"{message_id}\"]')"),
                  "lookup by index lists the message")

            lookup(browser, tagged)
            found = browser.wait_for("document.getElementById('result').dataset.kind === 'address' && "
                                     "document.getElementById('result').textContent")
            check(bool(found) and "a message of this address" in found and message_id in found,
                  "lookup by Streams address finds it as the message of that address")

            lookup(browser, channel)
            summary = browser.wait_for("(document.getElementById('graph-summary') || {dataset: {}}).dataset.edges && "
                                       "[+document.getElementById('graph-summary').dataset.nodes, "
                                       "+document.getElementById('graph-summary').dataset.edges]")
            check(summary == [nodes, edges], f"the channel view has {nodes} messages and {edges} links (got {summary})")
            drawn = browser.evaluate("[document.querySelectorAll('.graph .node').length, "
                                     "document.querySelectorAll('.graph .edge').length, "
                                     "document.querySelectorAll('.graph .edge.sequence').length, "
                                     "document.querySelectorAll('.graph .node[data-type=sequence]').length, "
                                     "new Set([...document.querySelectorAll('.graph .node .shape')]"
                                     ".map(s => s.getAttribute('fill'))).size]")
            check(drawn == [nodes, edges, 4, 4, 2],
                  f"drawn: {nodes} nodes, {edges} edges, 4 sequence edges and nodes, two publisher colours (got {drawn})")
            browser.evaluate("document.querySelector('.graph .node[data-type=keyload]').focus()")
            check(browser.evaluate("document.activeElement.dataset.type") == "keyload", "graph nodes take the focus")
            browser.press("Enter", "Enter", 13, "\r")
            details = browser.wait_for("document.getElementById('node-details').textContent")
            check(bool(details) and "Selected: keyload" in details and "Recipients" in details,
                  "Enter on a focused node shows its details (the keyload's public recipient list)")

            rect = browser.evaluate("(() => { const r = document.getElementById('result').getBoundingClientRect(); "
                                    "return [r.x + window.scrollX, r.y + window.scrollY, r.width, r.height]; })()")
            shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                clip={"x": rect[0], "y": rect[1], "width": rect[2], "height": min(rect[3], 1400),
                                      "scale": 1})
            with open(SCREENSHOT, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            check(os.path.getsize(SCREENSHOT) > 5000, f"screenshot of the channel view saved ({SCREENSHOT})")

            browser.call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2, mobile=True)
            browser.call("Page.reload")
            check(browser.wait_for("document.readyState === 'complete' && "
                                   "document.querySelectorAll('#recent-rows tr[data-id]').length >= 10"),
                  "the page loads at phone width")
            overflow = browser.evaluate("document.documentElement.scrollWidth")
            check(overflow <= 390, f"no sideways scrolling at phone width (page is {overflow} px wide)")

            errors = browser.errors()
            check(not errors, "no console errors, exceptions or failed loads" + (": " + json.dumps(errors) if errors else ""))
        finally:
            if browser:
                browser.stop()
            node.stop()
    return finish("explorer browser")


if __name__ == "__main__":
    sys.exit(main())
