#!/usr/bin/env python3
"""Checks that the Xtensa build's objects carry the literal-pool workaround (firmware/xtensa/xtensa-cc.py,
LLVM 22 Xtensa bugs 1 and 2): every l32r is a relocation for ld to resolve (none resolved in place by
llvm-mc, which gets some wrong by a word), and every literal section is 4-byte aligned. Objects built
by the bug-2 fallback (thread_local: compiled directly) are listed and must not be in the image.

It also checks xtensa-cc.py's size pass on our library's code (libstreams_*.a, less the bug-2
fallback's objects, which are compiled directly): at least MIN_DENSITY of its instructions are 16-bit
density forms (clang-22 alone: 3 %), at least MIN_DIRECT of its calls are direct (call0 in the
objects) and, in the linked image, every call marked for the link to rewrite is a call8 (a call0 left
there would run the callee in the caller's register window).

usage: check_xtensa_literals.py BUILD_DIR IMAGE_MAP   -> exit 1 on any violation
"""
import glob
import os
import re
import subprocess
import sys

build, image_map = sys.argv[1], sys.argv[2]
objects = sorted(glob.glob(f"{build}/lib/*.a") + glob.glob(f"{build}/firmware/**/*.obj", recursive=True))
MIN_DENSITY, MIN_DIRECT = 0.35, 0.75
problems, checked, fallback = [], 0, []
ours = {"instructions": 0, "narrow": 0, "direct": 0, "indirect": 0}


def located(lines):
    """Each line of an `llvm-objdump -d` listing with the archive member and the section it is in."""
    current, section = None, ""
    for line in lines:
        m = re.match(r"^(\S.*):\s+file format", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"^Disassembly of section (\S+):", line)
        if m:
            section = m.group(1)
            continue
        yield current, section, line


for path in objects:
    dump = subprocess.run(["llvm-objdump-22", "-dr", "--mcpu=esp32", path], capture_output=True, text=True,
                          check=True).stdout
    lines = dump.splitlines()
    relocated = set()
    for current, section, line in located(lines):
        m = re.match(r"^\s+([0-9a-f]+):\s+R_XTENSA_SLOT0_OP", line)
        if m:
            relocated.add((current, section, int(m.group(1), 16)))
        if "R_XTENSA_TLS_TPOFF" in line and current not in fallback:
            fallback.append(current)
    # A second walk: the fallback's members are known only once the whole listing has been read.
    for current, section, line in located(lines):
        m = re.match(r"^\s+[0-9a-f]+:((?:\s[0-9a-f]{2})+)\s+([a-z][\w.]*)", line)
        if m and section.startswith(".text") and "/lib/libstreams_" in path and current not in fallback:
            ours["instructions"] += 1
            ours["narrow"] += len(m.group(1).split()) == 2
            ours["direct"] += m.group(2) == "call0"
            ours["indirect"] += m.group(2) == "callx8"
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

density = ours["narrow"] / max(ours["instructions"], 1)
direct = ours["direct"] / max(ours["direct"] + ours["indirect"], 1)
print(f"xtensa size pass: {ours['instructions']} instructions in libstreams_*.a, {density:.0%} of them 16-bit "
      f"(at least {MIN_DENSITY:.0%}); {ours['direct']} direct and {ours['indirect']} indirect calls "
      f"({direct:.0%} direct, at least {MIN_DIRECT:.0%})")
if density < MIN_DENSITY:
    problems.append(f"libstreams_*.a: {density:.0%} density instructions: xtensa-cc.py's narrowing not applied")
if direct < MIN_DIRECT:
    problems.append(f"libstreams_*.a: {direct:.0%} direct calls: xtensa-cc.py's direct calls not applied")

# The image: every call the link was to rewrite (xtensa-cc.py marks each with a local symbol
# xtensa_call8.N) is a call8.
image = re.sub(r"\.map$", ".elf", image_map)
image = image if os.path.exists(image) else os.path.join(os.path.dirname(image_map), "bin",
                                                       os.path.basename(image))
symbols = subprocess.run(["llvm-objdump-22", "-t", image], capture_output=True, text=True, check=True).stdout
calls = {int(a, 16) for a in re.findall(r"^([0-9a-f]+) l\s+\S+\s+[0-9a-f]+ xtensa_call8\.\d+$", symbols,
                                        re.MULTILINE)}
code = subprocess.run(["llvm-objdump-22", "-d", "--mcpu=esp32", image], capture_output=True, text=True,
                      check=True).stdout
found = {int(a, 16): op for a, op in re.findall(r"^\s*([0-9a-f]+):(?:\s[0-9a-f]{2})+\s+([a-z][\w.]*)", code,
                                                re.MULTILINE)}
wrong = sorted(a for a in calls if found.get(a) != "call8")
print(f"xtensa image {os.path.basename(image)}: {len(calls)} direct calls, {len(calls) - len(wrong)} of them call8")
if not calls:
    problems.append(f"{image}: no direct call marked (xtensa_call8.N)")
problems.extend(f"{image}: 0x{a:x} is {found.get(a)}, not call8" for a in wrong)

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
