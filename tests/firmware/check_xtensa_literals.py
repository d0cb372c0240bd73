#!/usr/bin/env python3
"""Checks that the Xtensa build's objects carry the literal-pool workaround (firmware/xtensa/xtensa-cc.py,
LLVM 22 Xtensa bugs 1 and 2): every l32r is a relocation for ld to resolve (none resolved in place by
llvm-mc, which gets some wrong by a word), and every literal section is 4-byte aligned. Objects built
by the bug-2 fallback (thread_local: compiled directly) are listed and must not be in the image.

usage: check_xtensa_literals.py BUILD_DIR IMAGE_MAP   -> exit 1 on any violation
"""
import glob
import re
import subprocess
import sys

build, image_map = sys.argv[1], sys.argv[2]
objects = sorted(glob.glob(f"{build}/lib/*.a") + glob.glob(f"{build}/firmware/**/*.obj", recursive=True))
problems, checked, fallback = [], 0, []
member = None
for path in objects:
    dump = subprocess.run(["llvm-objdump-22", "-dr", "--mcpu=esp32", path], capture_output=True, text=True,
                          check=True).stdout
    lines = dump.splitlines()
    relocated = set()
    current = None
    for line in lines:
        m = re.match(r"^(\S.*):\s+file format", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"^Disassembly of section (\S+):", line)
        if m:
            section = m.group(1)
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+R_XTENSA_SLOT0_OP", line)
        if m:
            relocated.add((current, section, int(m.group(1), 16)))
        if "R_XTENSA_TLS_TPOFF" in line and current not in fallback:
            fallback.append(current)
    for line in lines:
        m = re.match(r"^(\S.*):\s+file format", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"^Disassembly of section (\S+):", line)
        if m:
            section = m.group(1)
            continue
        m = re.match(r"^\s+([0-9a-f]+):(?:\s[0-9a-f]{2})+\s+l32r\s", line)
        if m and section.startswith(".text"):  # literal pools are data (objdump decodes them too)
            checked += 1
            if current not in fallback and (current, section, int(m.group(1), 16)) not in relocated:
                problems.append(f"{current} {section}+0x{m.group(1)}: l32r resolved by the assembler")
    headers = subprocess.run(["llvm-readelf-22", "-S", path], capture_output=True, text=True,
                             check=True).stdout
    current = None
    for line in headers.splitlines():
        m = re.match(r"^File: (.*)$", line)
        if m:
            current = m.group(1)
        m = re.match(r"^\s+\[\s*\d+\]\s+(\.literal\S*)\s+\S+\s+\S+\s+\S+\s+(\S+)\s+.*\s(\d+)$", line)
        if m and int(m.group(3)) < 4 and int(m.group(2), 16) > 0:
            problems.append(f"{current}: {m.group(1)} aligned to {m.group(3)} byte(s)")

with open(image_map) as f:
    linked = f.read()
for name in fallback:
    short = re.sub(r".*\(([^)]+)\)$", r"\1", name)
    if re.search(r"\(" + re.escape(short) + r"\)\s*$", linked, re.MULTILINE):
        problems.append(f"{name}: compiled without the literal workaround (thread_local) but linked")
print(f"xtensa literal check: {checked} l32r in {len(objects)} files; bug-2 fallback (thread_local, not in "
      f"the image): {', '.join(fallback) or 'none'}")
for p in problems[:20]:
    print(f"FAIL {p}")
sys.exit(1 if problems else 0)
