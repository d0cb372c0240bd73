#!/usr/bin/env python3
"""Checks that the Xtensa images carry the workarounds for LLVM 22 Xtensa bugs 4 and 5 (README, "On a
device"), over the disassembly of every function linked into them (llvm-objdump-22):

  bug 4  With a frame pointer, clang's prologue can set the frame pointer (a7 <- a1: `or a7, a1, a1`)
         over the incoming a7, the sixth argument word, before reading it: a variadic function stores
         a2..a7 for va_arg after that (printf stored its frame pointer as its sixth argument word).
         Workaround: -fomit-frame-pointer (firmware/xtensa/toolchain.cmake). Fails on any function that
         sets a7 from a1 without having read a7 before: an object does not say how many arguments a
         function takes, so every frame pointer set over an unread a7 counts (a function that needs one,
         for alloca, and takes a sixth argument word copies a7 first, which passes). The frame pointer
         is clang's `or a7, a1, a1` right after `entry` (the self-test below shows the rule finds it;
         firmware/xtensa/xtensa-cc.py leaves that `or` unnarrowed): a `mov.n a7, a1` is the address of
         a local at sp+0 (`addi a7, a1, 0` narrowed). Without the
         workaround 914 of the flow image's 952 functions fail; 4 of them (printf, snprintf, open,
         std::__libcpp_verbose_abort, all variadic) lose an argument that the workaround build reads.
  bug 5  A function that realigns its stack beyond 16 bytes without a frame pointer reads its stack
         arguments at the realigned offset. Workaround: CRYPTO_ALIGN defined empty
         (firmware/xtensa/compiler_workarounds.h). Fails on any function that realigns its stack: an
         `and` of a1 with a mask, or a write to a1 other than
         `entry` and `movsp` (clang realigns with `add a1, a1, pad`).

Before the images, the check proves it can fail: a sample with a variadic function and a function with
a 64-byte-aligned local is compiled by clang-22 three ways and linked by ld; the check must find bug 4
in the variadic function when built with a frame pointer, bug 5 in the other without the empty
alignment, and nothing with both workarounds.

usage: check_xtensa_frames.py IMAGE.elf...   -> exit 1 on any violation
"""
import bisect
import os
import re
import subprocess
import sys
import tempfile

STORES = re.compile(r"^s(8|16|32)(i|i\.n|e|ri|c1i)$")  # every register operand is read
BRANCH = re.compile(r"^(b[a-z]*|loop[a-z]*|callx\d+|jx|wsr\..*|wur\..*)$")  # no register written


def functions(image):
    """(name, start, size) of every function symbol with a size."""
    symbols = subprocess.run(["llvm-readelf-22", "-sW", image], capture_output=True, text=True,
                             check=True).stdout
    found = {}
    for line in symbols.splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[3] == "FUNC" and fields[6] != "UND" and int(fields[2], 0) > 0:
            found[int(fields[1], 16)] = (fields[7], int(fields[2], 0))
    return sorted((name, start, size) for start, (name, size) in found.items())


def instructions(image):
    """address -> (mnemonic, [operands]) for the image's code."""
    dump = subprocess.run(["llvm-objdump-22", "-d", "--no-show-raw-insn", "--mcpu=esp32", image],
                          capture_output=True, text=True, check=True).stdout
    code = {}
    for line in dump.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+([a-z][\w.]*)\s*(.*)$", line)
        if m:
            operands = [o.strip() for o in m.group(3).split("#")[0].split(",") if o.strip()]
            code[int(m.group(1), 16)] = (m.group(2), operands)
    return code


def registers(operands):
    return [o for o in operands if re.fullmatch(r"a\d+", o)]


def check(image):
    problems = []
    code = instructions(image)
    addresses = sorted(code)
    entries, frame_pointers = 0, 0
    for name, start, size in functions(image):
        first, last = bisect.bisect_left(addresses, start), bisect.bisect_left(addresses, start + size)
        body = [code[a] + (a,) for a in addresses[first:last]]
        if not body or body[0][0] != "entry":
            continue  # not a windowed function (the runtime's vectors and assembly)
        entries += 1
        a7_read = False
        for index, (mnemonic, operands, address) in enumerate(body):
            regs = registers(operands)
            if STORES.match(mnemonic) or BRANCH.match(mnemonic):
                reads, writes = regs, []
            else:
                reads, writes = regs[1:], regs[:1]
            where = f"{image.rsplit('/', 1)[-1]}: {name} at 0x{address:x}: {mnemonic} {', '.join(operands)}"
            # Clang's prologue sets the frame pointer with `or a7, a1, a1` right after `entry`
            # (xtensa-cc.py's size pass keeps that `or`). A `mov.n a7, a1` is the address of a local
            # at sp+0: `addi a7, a1, 0`, narrowed by the size pass.
            frame_pointer_set = index == 1 and writes == ["a7"] and bool(reads) and \
                set(reads) == {"a1"} and mnemonic in ("or", "mov")
            frame_pointers += frame_pointer_set
            if frame_pointer_set and not a7_read:
                problems.append(f"{where}: frame pointer over the incoming a7 (bug 4)")
            realigned = (mnemonic == "and" and "a1" in reads) or \
                (writes == ["a1"] and mnemonic not in ("entry", "movsp"))
            if realigned:
                problems.append(f"{where}: stack realignment (bug 5)")
                break  # one finding per function is enough
            if "a7" in reads:
                a7_read = True
    return entries, frame_pointers, problems


SAMPLE = r"""
#ifndef ALIGNED
#define ALIGNED __attribute__((aligned(64))) /* libsodium's CRYPTO_ALIGN(64) */
#endif
int variadic(int n, ...) {
  __builtin_va_list a;
  __builtin_va_start(a, n);
  int r = 0;
  for (int i = 0; i < n; ++i) r += __builtin_va_arg(a, int);
  __builtin_va_end(a);
  return r;
}
int realigned(int a, int b, int c, int d, int e, int f, int g, int h) {
  ALIGNED volatile int s[16];
  s[0] = a;
  return s[0] + g + h;
}
"""


def self_test():
    """The check on the sample, built without each workaround and with both: the findings expected."""
    cases = [("-fno-omit-frame-pointer -DALIGNED=", {("variadic", "bug 4")}),
             ("-fomit-frame-pointer", {("realigned", "bug 5")}),
             ("-fomit-frame-pointer -DALIGNED=", set())]
    failures = []
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "sample.c")
        with open(source, "w") as f:
            f.write(SAMPLE)
        for flags, expected in cases:
            obj, image = os.path.join(work, "sample.o"), os.path.join(work, "sample.elf")
            subprocess.run(["clang-22", "--target=xtensa", "-Xclang", "-target-feature", "-Xclang", "+windowed",
                            "-Xclang", "-target-feature", "-Xclang", "+density", "-Os", *flags.split(), "-c",
                            source, "-o", obj], check=True)
            subprocess.run(["xtensa-lx106-elf-ld", "-e", "variadic", "-o", image, obj], check=True)
            found = {(re.match(r"sample\.elf: (\w+) ", p).group(1), re.search(r"\((bug \d)\)$", p).group(1))
                     for p in check(image)[2]}
            print(f"xtensa frame check, self-test {flags}: found {sorted(found) or 'nothing'}")
            if found != expected:
                failures.append(f"self-test {flags}: found {sorted(found)}, expected {sorted(expected)}")
    return failures


problems = self_test()
for image in sys.argv[1:]:
    entries, frame_pointers, found = check(image)
    print(f"xtensa frame check: {image.rsplit('/', 1)[-1]}: {entries} windowed functions, {frame_pointers} "
          f"set a frame pointer; {len(found)} with a frame pointer over an unread a7 or a realigned stack")
    problems.extend(found)
for p in problems[:30]:
    print(f"FAIL {p}")
if len(problems) > 30:
    print(f"FAIL ... and {len(problems) - 30} more")
sys.exit(1 if problems else 0)
