#!/usr/bin/env bash
# Checks that the one source list (cmake/sources.cmake), which the ESP-IDF component and the CMake
# build both read, is the whole device library: every source it lists exists and is compiled by the
# host build, every library source the host build compiles is listed (host-only parts excepted: the
# tools, the SQLite and PostgreSQL stores, libcurl's client), and the component takes its sources
# from that list.
#   scripts/check-esp-idf-sources.sh BUILD_DIR     (a host build with compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: $0 BUILD_DIR}
python3 - "$PWD" "$build/compile_commands.json" <<'PY'
import json, os, re, sys

root, commands = sys.argv[1], sys.argv[2]
component = os.path.join(root, "esp-idf/components/iota_streams/CMakeLists.txt")
sources = os.path.join(root, "cmake/sources.cmake")
listed = {os.path.normpath(os.path.join(root, "src", m)) for m in
          re.findall(r"\$\{_streams_src\}/(\S+\.cpp)", open(sources).read())}
compiled = {os.path.normpath(entry["file"]) for entry in json.load(open(commands))}
host_only = re.compile(r"/src/(apps/|transports/store/|transports/postgres/|transports/chrysalis/curl_http\.cpp|bindings/client\.cpp)")
library = {f for f in compiled if f.startswith(os.path.join(root, "src") + os.sep) and not host_only.search(f)}

problems = []
text = open(component).read()
if "cmake/sources.cmake" not in text or "${STREAMS_DEVICE_SOURCES}" not in text:
    problems.append("the component does not take its sources from cmake/sources.cmake")
problems += [f"listed but missing: {os.path.relpath(f, root)}" for f in sorted(listed) if not os.path.exists(f)]
problems += [f"listed but not compiled by the host build: {os.path.relpath(f, root)}" for f in sorted(listed - compiled)]
problems += [f"compiled by the host build but not listed: {os.path.relpath(f, root)}" for f in sorted(library - listed)]
for p in problems:
    print("FAIL " + p)
print(f"{len(listed)} component sources checked against {len(library)} host library sources")
sys.exit(1 if problems else 0)
PY
