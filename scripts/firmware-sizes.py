#!/usr/bin/env python3
"""Bytes of the linked firmware image that come from our library and from libsodium, read from the
linker map (after --gc-sections, so only what the image really contains). Code is .text, .rodata and
Xtensa's .literal (flash), data is .data (flash and RAM); .bss is RAM only and reported apart.

usage: firmware-sizes.py MAP_FILE   -> code_bytes=N, libsodium_code_bytes=N, ... lines
"""
import re
import sys
from collections import defaultdict

ENTRY = re.compile(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S.*)$")
SECTION = re.compile(r"^ (\.[\w.$]+)(?:\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S.*))?$")


def owner(path):
    if re.search(r"libstreams_[\w]+\.a\(", path):
        return "ours"
    if "libsodium_firmware.a(" in path:
        return "libsodium"
    if "/firmware/" in path or "flow.cpp" in path:
        return "firmware"
    return "system"


def kind(section):
    for prefix, name in ((".text", "code"), (".literal", "code"), (".rodata", "code"), (".ARM.exidx", "code"), (".data", "data"),
                         (".bss", "bss"), (".tbss", "bss"), (".tdata", "data")):
        if section.startswith(prefix):
            return name
    return None


def main():
    totals = defaultdict(int)
    in_map = False
    pending = None
    with open(sys.argv[1]) as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_map = True
                continue
            if not in_map:
                continue
            match = SECTION.match(line)
            if match:
                pending = match.group(1)
                if match.group(2) is None:
                    continue
                address, size, path = match.group(2), match.group(3), match.group(4)
            else:
                entry = ENTRY.match(line)
                if not entry or pending is None:
                    continue
                address, size, path = entry.groups()
            section, pending = pending, None
            what = kind(section)
            if what is None or int(address, 16) == 0 and what != "bss":
                continue
            totals[(owner(path), what)] += int(size, 16)
    print(f"code_bytes={totals[('ours', 'code')] + totals[('ours', 'data')]}")
    print(f"libsodium_code_bytes={totals[('libsodium', 'code')] + totals[('libsodium', 'data')]}")
    print(f"firmware_app_code_bytes={totals[('firmware', 'code')] + totals[('firmware', 'data')]}")
    print(f"system_code_bytes={totals[('system', 'code')] + totals[('system', 'data')]}  # picolibc, libstdc++, libgcc")
    print(f"static_ram_bytes={sum(v for (o, w), v in totals.items() if w in ('data', 'bss'))}")


if __name__ == "__main__":
    main()
