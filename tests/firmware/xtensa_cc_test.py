#!/usr/bin/env python3
"""xtensa_cc_size_pass: the size pass of firmware/xtensa/xtensa-cc.py on hand-written compiler output,
without the firmware's cross build (seconds, not minutes). Each case states what must change and what
must not (the pass must never touch inline assembly, a register the call does not clobber, an operand
that does not fit a 16-bit form, a branch that might be out of reach); the result is assembled with
llvm-mc-22 (the ESP32's density and windowed options) and the link step's call0 -> call8 rewrite is
checked on a linked image when binutils-xtensa-lx106's ld is installed.

usage: xtensa_cc_test.py REPO_ROOT   -> exit 1 on any failure
"""
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

root = sys.argv[1]
spec = importlib.util.spec_from_file_location("xtensa_cc", os.path.join(root, "firmware", "xtensa", "xtensa-cc.py"))
xcc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(xcc)
failures = []

SOURCE = """\
\t.literal_position
\t.literal .LCPI0_0, callee
\t.literal .LCPI0_1, callee
\t.literal .LCPI0_2, other
\t.literal .LCPI0_3, 305419896
\t.literal .LCPI0_4, self
\t.literal .LCPI0_5, callee
\t.text
\t.section\t.text.self,"ax",@progbits
\t.global\tself
\t.p2align\t2
\t.type\tself,@function
self:
\tentry\ta1, 48
\tl32r\ta8, .LCPI0_5
\tor\ta10, a2, a2
\tcallx8\ta8
\tl32r\ta8, .LCPI0_0
\taddi\ta10, a8, 4
\tcallx8\ta8
\tl32r\ta8, .LCPI0_1
\taddi\ta10, a8, 4
\tcallx8\ta8
\tl32r\ta6, .LCPI0_2
\tcallx8\ta6
\tl32r\ta9, .LCPI0_4
\tcallx8\ta9
\tl32r\ta8, .LCPI0_3
\tor\ta3, a4, a4
\tor\ta7, a1, a1
\tor\ta3, a4, a5
\tadd\ta2, a3, a4
\taddi\ta2, a2, 15
\taddi\ta2, a2, 16
\taddi\ta2, a2, 0
\taddi\ta2, a1, -1
\tl32i\ta2, a1, 60
\tl32i\ta2, a1, 64
\ts32i\ta2, a1, 1020
\tmovi\ta2, 95
\tmovi\ta2, 96
\tmovi\ta2, -33
\tbeqz\ta2, .LBB0_2
\tadd\ta2, a3, a4
.LBB0_2:
\tbnez\ta2, .LBB0_3
""" + "\tl8ui\ta2, a3, 1\n" * 22 + """\
.LBB0_3:
\tbeqz\ta2, .LBB0_2
\t#APP
\tor\ta2, a3, a3
\t#NO_APP
\tretw.n
"""

out = xcc.shrink(SOURCE)
instructions = [line.strip() for line in out.splitlines() if re.match(r"^\t[a-z]", line)]


def expect(text, present=True, why=""):
    found = any(re.fullmatch(text, line) for line in instructions)
    if found != present:
        failures.append(f"{'missing' if present else 'unexpected'}: {text} ({why})")


expect(r"call0\tcallee", why="l32r a8 + callx8 a8 becomes a direct call")
if len([i for i in instructions if i == "call0\tcallee"]) != 1:
    failures.append("the call whose register is read between l32r and callx8 must stay a long call")
expect(r"callx8\ta6", why="a6 survives a call8: not converted")
expect(r"callx8\ta9", why="a call to its own section stays long (llvm-mc would resolve it: bug 2)")
if len([i for i in instructions if i == "l32r\ta8, .LCPI0_0"]) != 2 or ".LCPI0_1," in out:
    failures.append("two long calls to one callee must share one literal")
if ".LCPI0_5," in out:
    failures.append("the literal of a call made direct is left in the pool")
if "305419896" not in out:
    failures.append("a constant literal was dropped")
expect(r"mov\.n\ta3, a4", why="or a,b,b")
expect(r"or\ta3, a4, a5", why="a real or")
expect(r"or\ta7, a1, a1", why="the frame pointer's or (check_xtensa_frames.py tells it from addi a7, a1, 0)")
expect(r"add\.n\ta2, a3, a4")
expect(r"addi\.n\ta2, a2, 15")
expect(r"addi\ta2, a2, 16", why="16 does not fit addi.n")
expect(r"mov\.n\ta2, a2", why="addi a,b,0")
expect(r"addi\.n\ta2, a1, -1")
expect(r"l32i\.n\ta2, a1, 60")
expect(r"l32i\ta2, a1, 64", why="64 does not fit l32i.n")
expect(r"s32i\ta2, a1, 1020", why="1020 does not fit s32i.n")
expect(r"movi\.n\ta2, 95")
expect(r"movi\ta2, 96", why="96 does not fit movi.n")
expect(r"movi\ta2, -33", why="-33 does not fit movi.n")
expect(r"beqz\.n\ta2, \.LBB0_2", why="a short forward branch")
expect(r"bnez\ta2, \.LBB0_3", why="22 l8ui (66 bytes) between: maybe out of reach, left wide")
expect(r"beqz\ta2, \.LBB0_2", why="a backward branch has no .n form")
expect(r"or\ta2, a3, a3", why="inline assembly is left as written")

with tempfile.TemporaryDirectory() as tmp:
    asm = os.path.join(tmp, "case.s")
    with open(asm, "w") as f:
        f.write(xcc.move_literal_pools(out))
        # The callees, in sections of their own, so that the case also links.
        f.write('\t.section\t.text.callee,"ax",@progbits\n\t.global\tcallee\n\t.p2align\t2\ncallee:\n'
                '\tentry\ta1, 32\n\tretw.n\n\t.section\t.text.other,"ax",@progbits\n\t.global\tother\n'
                '\t.p2align\t2\nother:\n\tentry\ta1, 32\n\tretw.n\n')
    obj = os.path.join(tmp, "case.o")
    run = subprocess.run(["llvm-mc-22", "-triple=xtensa", "-mattr=+density,+windowed", "-filetype=obj", asm, "-o",
                          obj], capture_output=True, text=True)
    if run.returncode != 0:
        failures.append(f"llvm-mc-22 refused the pass's output: {run.stderr.strip()[:500]}")
    elif shutil.which("xtensa-lx106-elf-ld"):
        image = os.path.join(tmp, "case.elf")
        status = xcc.link(["xtensa-lx106-elf-ld", "-e", "self", obj, "-o", image])
        dump = subprocess.run(["llvm-objdump-22", "-d", "--mcpu=esp32", image], capture_output=True,
                              text=True).stdout if status == 0 else ""
        if status != 0 or not re.search(r"\scall8\s", dump) or re.search(r"\scall0\s", dump):
            failures.append(f"the link did not turn the marked call0 into call8 (status {status})")
    else:
        print("xtensa-lx106-elf-ld not installed: the link step is not checked here")

print(f"xtensa-cc.py size pass: {len(instructions)} instructions after the pass")
for failure in failures:
    print(f"FAIL {failure}")
sys.exit(1 if failures else 0)
