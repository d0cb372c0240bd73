#!/usr/bin/env python3
"""Every public name of include/iota_streams/channels.h that the official 1.2.0 binding had (all but
PREFIXED_ONLY_*) has its official (unprefixed) name in channels_compat.h, mapped to itself, and the
compat header maps nothing that does not exist (nor the prefixed-only names).
Usage: check_compat_names.py <include dir>. Exit 1 with the list of what is missing or extra."""
import re
import sys

include = sys.argv[1]
header = open(f"{include}/iota_streams/channels.h").read()
compat = open(f"{include}/iota_streams/channels_compat.h").read()
header_code = re.sub(r"/\*.*?\*/", "", header, flags=re.S)

# Every function, type and constant the C API declares, with the name code carried over would use.
# Names the official binding never had (added here after 1.2.0): no code to carry over uses them, so
# the compat header gives them no unprefixed alias.
PREFIXED_ONLY_FUNCTIONS = {f"{who}_{what}" for who in ("auth", "sub") for what in (
    "has_pending", "publish_pending", "prepare_signed_packet", "prepare_tagged_packet",
    "fetch_next_msgs_report", "sync_state_report")} | {
    "auth_prepare_announce", "auth_prepare_keyload", "auth_prepare_keyload_for_everyone",
    "sub_prepare_subscribe", "sub_prepare_unsubscribe"}
PREFIXED_ONLY_TYPES = {"fetch_report_t"}

functions = set(re.findall(r"\bstreams_(\w+)\s*\(", header_code)) - {"err_message", "last_error"}
types = set(re.findall(r"\bstreams_(\w+_t)\b", header_code))
unknown_exceptions = (PREFIXED_ONLY_FUNCTIONS - functions) | (PREFIXED_ONLY_TYPES - types)
if unknown_exceptions:
    sys.exit(f"prefixed-only names that channels.h does not declare: {sorted(unknown_exceptions)}")
functions -= PREFIXED_ONLY_FUNCTIONS
types -= PREFIXED_ONLY_TYPES
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
