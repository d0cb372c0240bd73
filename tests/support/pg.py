"""The PostgreSQL server tests/support/pg.sh started (CTest fixture 'postgres'): a fresh schema per
database a test asks for, so that tests sharing the server never see each other's tables.
As a program: pg.py with-database NAME COMMAND... (see main)."""
import glob
import os
import re
import subprocess


def base_url():
    """The server's libpq URL, from the file CTest names in STREAMS_PG_CONNINFO_FILE."""
    path = os.environ.get("STREAMS_PG_CONNINFO_FILE")
    if not path or not os.path.exists(path):
        raise SystemExit("STREAMS_PG_CONNINFO_FILE names no connection string (run under CTest with the "
                         "'postgres' fixture, or tests/support/pg.sh start DIR)")
    with open(path) as f:
        return f.read().strip()


def psql(sql):
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql")) or ["psql"]
    subprocess.run([binaries[-1], "-q", "-X", "-v", "ON_ERROR_STOP=1", base_url(), "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def fresh_database(name):
    """A libpq URL whose tables live in a new, empty schema `name` (letters, digits, underscores)."""
    schema = re.sub(r"[^a-z0-9_]", "_", name.lower())
    psql(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    return f"{base_url()}?options=-csearch_path%3D{schema}"


def main(argv):
    """pg.py with-database NAME COMMAND...: runs COMMAND with STREAMS_NODE_TEST_DB set to a fresh schema's
    URL (node_test.py starts its nodes on it)."""
    if len(argv) < 3 or argv[0] != "with-database":
        raise SystemExit("usage: pg.py with-database NAME COMMAND...")
    env = dict(os.environ, STREAMS_NODE_TEST_DB=fresh_database(f"{argv[1]}_{os.getpid()}"))
    return subprocess.run(argv[2:], env=env).returncode


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
