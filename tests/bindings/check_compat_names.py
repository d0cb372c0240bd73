#!/usr/bin/env python3
"""Every public name of include/iota_streams/channels.h has its official (unprefixed) name in
channels_compat.h, mapped to itself, and the compat header maps nothing that does not exist.
Usage: check_compat_names.py <include dir>. Exit 1 with the list of what is missing or extra."""
import re
import sys

include = sys.argv[1]
header = open(f"{include}/iota_streams/channels.h").read()
compat = open(f"{include}/iota_streams/channels_compat.h").read()
header_code = re.sub(r"/\*.*?\*/", "", header, flags=re.S)

# Every function, type and constant the C API declares, with the name code carried over would use.
functions = set(re.findall(r"\bstreams_(\w+)\s*\(", header_code)) - {"err_message", "last_error"}
types = set(re.findall(r"\bstreams_(\w+_t)\b", header_code))
constants = set(re.findall(r"\bSTREAMS_((?:ERR|MESSAGE)_\w+)\b", header_code))
if len(functions) < 90 or len(constants) < 40:  # the parse itself must have worked
    sys.exit(f"parsed too little of channels.h: {len(functions)} functions, {len(constants)} constants")

expected = {f"#define {n} streams_{n}" for n in functions}
expected |= {f"typedef streams_{t} {t};" for t in types}
expected |= {f"#define {c} STREAMS_{c}" for c in constants}
found = {line.strip() for line in compat.splitlines()
         if line.startswith("#define") and not line.startswith("#define IOTA_STREAMS") or line.startswith("typedef")}

missing = sorted(expected - found)
extra = sorted(found - expected)
for line in missing:
    print(f"missing from channels_compat.h: {line}")
for line in extra:
    print(f"channels_compat.h maps a name channels.h does not have: {line}")
if missing or extra:
    sys.exit(1)
print(f"channels_compat.h: {len(functions)} functions, {len(types)} types, {len(constants)} constants mapped")
