"""Fixtures of the Python tests. The interop tests need, from the environment (tests/python sets it):
  STREAMS_CLI         the streams program
  STREAMS_NODE_BIN    the streams-node program
  STREAMS_OFFICIAL_JS tests/interop/official.js, with its node_modules installed (tests/interop/setup.sh)
and skip when one is missing; under CTest they are always given."""
import os
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "support"))
from checks import StreamsNode  # noqa: E402


def _program(variable):
    path = os.environ.get(variable)
    if not path or not os.path.exists(path):
        pytest.skip(f"{variable} is not set to an existing file")
    return path


@pytest.fixture
def streams_cli():
    return _program("STREAMS_CLI")


@pytest.fixture
def official_js():
    return _program("STREAMS_OFFICIAL_JS")


@pytest.fixture
def streams_node_bin():
    return _program("STREAMS_NODE_BIN")


@pytest.fixture
def node(tmp_path):
    """streams-node on a free loopback port, with its database in the test's scratch directory."""
    server = StreamsNode(_program("STREAMS_NODE_BIN"), str(tmp_path / "node.db"))
    yield server
    server.stop()
