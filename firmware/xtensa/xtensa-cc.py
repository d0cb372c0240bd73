#!/usr/bin/env python3
"""The C and C++ compiler of the Xtensa firmware builds (firmware/xtensa/toolchain.cmake): clang-22
with one workaround for two LLVM 22 Xtensa bugs, applied to every object.

  LLVM 22 Xtensa bug 1: a function's literal pool (.literal_position / .literal) is printed before the
    function's .section switch, so the literals land, unaligned, at the end of the previous section:
    ld then fails with "dangerous relocation: l32r: misaligned literal target" (or clang with "fixup
    value must be 4-byte aligned").
  LLVM 22 Xtensa bug 2: llvm-mc resolves an l32r to a literal of the same section itself and gets
    some wrong by one word in functions over 8 KB (sc25519_mul: 65 of 246): a call lands on a
    constant. It also cannot parse its own `sym@TPOFF` (thread_local).

Workaround: compile to assembly (clang -S with the same arguments), move each function's literal pool
into a 4-aligned section of its own, .literal.<function>, placed right before the function's code
(the linker script keeps .literal.* and .text.* of an object in order), and assemble with llvm-mc:
every l32r is then a relocation that ld resolves. A file whose assembly holds @TPOFF (thread_local)
is compiled to an object directly instead (bug 2); tests/firmware/check_xtensa_literals.py checks
that the build's objects have no l32r resolved in place and no misaligned literal.

Any other invocation (preprocessing, CMake's compiler checks without -c) goes to clang-22 unchanged.
"""
import os
import re
import subprocess
import sys

CLANG = "clang-22"
LLVM_MC = "llvm-mc-22"
SOURCE = re.compile(r".*\.(c|cc|cpp|cxx)$")


def features(args):
    found = []
    for i, arg in enumerate(args[:-3]):
        if arg == "-Xclang" and args[i + 1] == "-target-feature" and args[i + 2] == "-Xclang":
            found.append(args[i + 3])
    return found


def move_literal_pools(text):
    """Each `.literal_position` + `.literal NAME, VALUE` block goes into `.literal.<fn>`, where fn is
    the function whose `.section .text.<fn>` follows the block."""
    out = []
    pending = []      # (label, value) of the pool being collected
    section = None    # the last .section line seen after the pool
    collecting = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == ".literal_position":
            collecting = True
            continue
        if collecting:
            match = re.match(r"\.literal\s+([^,\s]+)\s*,\s*(.+)$", stripped)
            if match:
                pending.append((match.group(1), match.group(2)))
                continue
            if stripped.startswith(".section") or stripped in (".text", "") or stripped.startswith("#"):
                if stripped.startswith(".section") or stripped == ".text":
                    section = line
                continue
            # The function begins: its pool first, in its own aligned section.
            name = ".text"
            if section is not None:
                m = re.match(r"\s*\.section\s+([^,\s]+)", section)
                name = m.group(1) if m else ".text"
            suffix = name[len(".text"):] if name.startswith(".text") else "." + name.lstrip(".")
            if pending:
                out.append(f'\t.section\t.literal{suffix},"ax",@progbits')
                out.append("\t.p2align\t2")
                for label, value in pending:
                    out.append(f"{label}:")
                    out.append(f"\t.4byte\t{value}")
            out.append(section if section is not None else "\t.text")
            pending, section, collecting = [], None, False
        out.append(line)
    if collecting and pending:
        raise SystemExit("xtensa-cc: a literal pool with no function after it")
    return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    sources = [a for a in args if SOURCE.match(a)]
    if "-c" not in args or "-E" in args or len(sources) != 1 or "-o" not in args:
        os.execvp(CLANG, [CLANG] + args)
    out = args[args.index("-o") + 1]
    asm = f"{out}.{os.getpid()}.s"
    to_asm = [("-S" if a == "-c" else a) for a in args]
    to_asm[to_asm.index("-o") + 1] = asm
    if subprocess.call([CLANG] + to_asm) != 0:
        return 1
    with open(asm) as f:
        text = f.read()
    if "@TPOFF" in text:  # bug 2: llvm-mc cannot read it back; the integrated assembler can
        os.remove(asm)
        return subprocess.call([CLANG] + args)
    with open(asm, "w") as f:
        f.write(move_literal_pools(text))
    status = subprocess.call([LLVM_MC, "-triple=xtensa", "-mattr=" + ",".join(features(args)),
                              "-filetype=obj", asm, "-o", out])
    os.remove(asm)
    return status


if __name__ == "__main__":
    sys.exit(main())
