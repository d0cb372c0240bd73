#!/usr/bin/env bash
# Checks that the ESP-IDF component builds the same library the other builds do: every source its
# CMakeLists.txt lists exists and is compiled by the host build, and every library source the host
# build compiles is listed (host-only parts excepted: the tools, the SQLite and PostgreSQL stores, libcurl's client).
#   scripts/check-esp-idf-sources.sh BUILD_DIR     (a host build with compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: $0 BUILD_DIR}
python3 - "$PWD" "$build/compile_commands.json" <<'PY'
import json, os, re, sys

root, commands = sys.argv[1], sys.argv[2]
component = os.path.join(root, "esp-idf/components/iota_streams/CMakeLists.txt")
listed = {os.path.normpath(os.path.join(root, m)) for m in
          re.findall(r"\$\{root\}/(src/\S+\.cpp)", open(component).read())}
compiled = {os.path.normpath(entry["file"]) for entry in json.load(open(commands))}
host_only = re.compile(r"/src/(apps/|transports/store/|transports/postgres/|transports/chrysalis/curl_http\.cpp|bindings/client\.cpp)")
library = {f for f in compiled if f.startswith(os.path.join(root, "src") + os.sep) and not host_only.search(f)}

problems = []
problems += [f"listed but missing: {os.path.relpath(f, root)}" for f in sorted(listed) if not os.path.exists(f)]
problems += [f"listed but not compiled by the host build: {os.path.relpath(f, root)}" for f in sorted(listed - compiled)]
problems += [f"compiled by the host build but not listed: {os.path.relpath(f, root)}" for f in sorted(library - listed)]
for p in problems:
    print("FAIL " + p)
print(f"{len(listed)} component sources checked against {len(library)} host library sources")
sys.exit(1 if problems else 0)
PY
