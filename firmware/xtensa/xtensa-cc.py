#!/usr/bin/env python3
"""The C and C++ compiler of the Xtensa firmware builds (firmware/xtensa/toolchain.cmake): clang-22
with one workaround for two LLVM 22 Xtensa bugs and a size pass, applied to every object, and the link
step that completes the size pass (`xtensa-cc.py --link DRIVER ARGS...`, toolchain.cmake).

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

Size: clang-22's Xtensa code is large for two reasons the assembly can undo, so the same pass also
rewrites the compiler's instructions (never inline assembly: #APP/#NO_APP and file-scope blocks stay
as written) before llvm-mc assembles them:
  - every call is a long call (LLVM 22's XtensaISelLowering isLongCall() returns true: l32r of the
    callee's address from the literal pool, then callx8; clang has no -mno-longcalls for Xtensa).
    `l32r aN, .LCPI; callx8 aN` with N >= 8 (a register the call clobbers anyway), nothing between
    them reading or writing aN and no label, branch or call between, becomes a direct call: 3 bytes
    instead of 6, and the 4-byte literal goes when nothing else loads it. binutils-xtensa-lx106's ld
    cannot relocate a windowed call8 ("dangerous relocation: unexpected relocation": its lx106
    configuration has no windowed option), so the call is written call0 (the same offset field and
    target rule), marked by a local symbol xtensa_call8.N, and the link step turns every marked call0
    into call8. The reach is +-512 KiB, more than the image; out of reach is an ld error, never a
    silent miscall. A callee in the caller's own section (recursion) keeps the long call: llvm-mc
    would resolve it itself (bug 2). An object of this compiler must be linked through the link step.
  - clang selects no 16-bit density instruction and llvm-mc does not narrow (GNU as would, but
    binutils-xtensa-lx106's as rejects windowed code). Narrowed where the operands fit: `or a,b,b`
    (but the frame pointer's `or a7, a1, a1`) and `addi a,b,0` -> mov.n, add -> add.n, addi (-1, 1..15) -> addi.n, l32i/s32i (offsets 0..60)
    -> .n, movi (-32..95) -> movi.n, and beqz/bnez -> .n where the target label follows within reach
    counting every instruction between at its largest (narrowing only shortens the distances
    branches span; a branch out of reach would be an llvm-mc error).
  - a pool's literals of the same value are one literal.
tests/firmware/check_xtensa_literals.py fails when our library's code has too few density instructions
or direct calls, or a marked call in the image is not call8; tests/firmware/xtensa_cc_test.py
(xtensa_cc_size_pass) checks the pass's edge cases.

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


INSN = re.compile(r"^\t([a-z][a-z0-9.]*)(?:\t([^#]*?))?\s*(#.*)?$")
LABEL = re.compile(r"^([^\s#:][^\s:]*):")
SYMBOL = re.compile(r"^[A-Za-z_.$][\w.$]*$")
LITERAL = re.compile(r"^\s*\.literal\s+([^,\s]+)\s*,\s*(.+?)\s*$")
SECTION = re.compile(r"^\s*\.section\s+([^,\s]+)")
CALL_MARK = "xtensa_call8."  # local symbols on the calls that link() makes call8


def register(operand):
    """The number of an address register operand (a0..a15), else None."""
    m = re.fullmatch(r"a(\d+)", operand.strip())
    return int(m.group(1)) if m else None


def number(operand):
    return int(operand) if re.fullmatch(r"-?\d+", operand.strip()) else None


def compiled_lines(lines):
    """Indices of the lines the compiler generated: not inline assembly (#APP..#NO_APP, file scope)."""
    inline = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped in ("#APP", "# Start of file scope inline assembly"):
            inline = True
        elif stripped in ("#NO_APP", "# End of file scope inline assembly"):
            inline = False
        elif not inline:
            yield i


def shared_literals(lines):
    """One literal per value in each pool (clang repeats a callee's address for every call)."""
    first, alias, pool = {}, {}, 0
    out = []
    for line in lines:
        if line.strip() == ".literal_position":
            pool += 1
        m = LITERAL.match(line)
        if m and m.group(1).startswith(".LCPI"):
            key = (pool, m.group(2))
            if key in first:
                alias[m.group(1)] = first[key]
                continue
            first[key] = m.group(1)
        out.append(line)
    if not alias:
        return out
    return [re.sub(r"\.LCPI\w+", lambda m: alias.get(m.group(0), m.group(0)), line) if INSN.match(line) else line
            for line in out]


def direct_calls(lines):
    """`l32r aN, .LCPIx; ...; callx8 aN` -> a direct call, `call0 callee` marked for link() to make
    call8 (see the module's comment); the literals no longer loaded are dropped from their pools."""
    literals = {m.group(1): m.group(2) for m in map(LITERAL.match, lines) if m}
    section_of, section = {}, None
    for line in lines:
        m = SECTION.match(line)
        section = m.group(1) if m else (".text" if line.strip() == ".text" else section)
        m = LABEL.match(line)
        if m:
            section_of[m.group(1)] = section
    out, converted = list(lines), []
    section = None
    compiled = set(compiled_lines(lines))
    for i in sorted(compiled):
        m = SECTION.match(lines[i])
        section = m.group(1) if m else (".text" if lines[i].strip() == ".text" else section)
        m = INSN.match(lines[i])
        if not m or m.group(1) != "l32r":
            continue
        reg, label = [x.strip() for x in m.group(2).split(",")]
        callee = literals.get(label)
        n = register(reg)
        if callee is None or not SYMBOL.match(callee) or n is None or n < 8:
            continue
        if section_of.get(callee, "?") == section:
            continue
        for j in range(i + 1, min(len(lines), i + 64)):
            if j not in compiled or LABEL.match(lines[j]):
                break
            mm = INSN.match(lines[j])
            if not mm:
                stripped = lines[j].strip()
                if stripped and not stripped.startswith(("#", ".loc", ".cfi")):
                    break
                continue
            operands = mm.group(2) or ""
            if mm.group(1) == "callx8" and operands.strip() == reg:
                # call0 here, call8 after the link (link()): binutils-xtensa-lx106's ld refuses to
                # relocate a windowed call ("dangerous relocation: unexpected relocation"); call0 has
                # the same offset field and target rule, so ld resolves it and the link turns it into
                # call8. A local symbol marks the call for that: ld keeps it with its function and
                # drops it with a function that --gc-sections or a duplicate COMDAT copy removes.
                label = f"{CALL_MARK}{len(converted)}"
                converted.append(label)
                out[i] = None
                out[j] = f"{label}:\n\tcall0\t{callee}"
                break
            if re.search(r"\b" + reg + r"\b", operands) or mm.group(1).startswith(("b", "j", "ret", "call", "loop")):
                break
    kept = [line for line in out if line is not None]
    loaded = set(re.findall(r"\.LCPI\w+", "\n".join(line for line in kept if not LITERAL.match(line))))
    return [line for line in kept
            if not ((m := LITERAL.match(line)) and m.group(1).startswith(".LCPI") and m.group(1) not in loaded)]


def narrow(lines):
    """The density option's 16-bit forms for the instructions whose operands fit them."""
    out = list(lines)
    for i in compiled_lines(lines):
        m = INSN.match(lines[i])
        if not m or m.group(2) is None:
            continue
        op, operands = m.group(1), [x.strip() for x in m.group(2).split(",")]
        regs = [register(x) for x in operands]
        new = None
        # `or a7, a1, a1` is how clang sets a frame pointer: left as it is, so that
        # tests/firmware/check_xtensa_frames.py (LLVM bug 4) tells it from the address of a local at
        # sp+0 (`addi a7, a1, 0`, narrowed below). With -fomit-frame-pointer it is rare.
        if op == "or" and len(operands) == 3 and None not in regs and operands[1] == operands[2] and \
                operands[:2] != ["a7", "a1"]:
            new = f"mov.n\t{operands[0]}, {operands[1]}"
        elif op == "addi" and len(operands) == 3 and None not in regs[:2] and number(operands[2]) == 0:
            new = f"mov.n\t{operands[0]}, {operands[1]}"
        elif op == "add" and len(operands) == 3 and None not in regs:
            new = f"add.n\t{operands[0]}, {operands[1]}, {operands[2]}"
        elif op == "addi" and len(operands) == 3 and None not in regs[:2]:
            value = number(operands[2])
            if value is not None and (value == -1 or 1 <= value <= 15):
                new = f"addi.n\t{operands[0]}, {operands[1]}, {value}"
        elif op in ("l32i", "s32i") and len(operands) == 3 and None not in regs[:2]:
            value = number(operands[2])
            if value is not None and 0 <= value <= 60 and value % 4 == 0:
                new = f"{op}.n\t{operands[0]}, {operands[1]}, {value}"
        elif op == "movi" and len(operands) == 2 and regs[0] is not None:
            value = number(operands[1])
            if value is not None and -32 <= value <= 95:
                new = f"movi.n\t{operands[0]}, {value}"
        if new is not None:
            out[i] = "\t" + new
    return short_branches(out)


def short_branches(lines):
    """beqz/bnez -> .n when the target is a label after the branch and certainly within beqz.n's reach:
    the branch (2 bytes) plus what lies between (each instruction counted at 3 bytes, .n ones at 2;
    no directive that could pad) must span 4..67 bytes. Narrowing only ever shortens such spans."""
    out = list(lines)
    compiled = set(compiled_lines(lines))
    for i in sorted(compiled):
        m = INSN.match(lines[i])
        if not m or m.group(1) not in ("beqz", "bnez") or not m.group(2):
            continue
        reg, target = [x.strip() for x in m.group(2).split(",")]
        span, count = 2, 0
        for j in range(i + 1, min(len(lines), i + 40)):
            if j not in compiled:
                break
            label = LABEL.match(lines[j])
            if label:
                if label.group(1) == target:
                    if count and 4 <= span <= 67:
                        out[i] = f"\t{m.group(1)}.n\t{reg}, {target}"
                    break
                continue
            mm = INSN.match(out[j])
            if mm:
                span += 2 if mm.group(1).endswith(".n") else 3
                count += 1
                continue
            stripped = lines[j].strip()
            if stripped and not stripped.startswith(("#", ".loc", ".cfi")):
                break
    return out


def shrink(text):
    """The size pass (module comment): direct calls, then the density forms."""
    lines = "\n".join(direct_calls(text.splitlines())).splitlines()
    return "\n".join(narrow(shared_literals(lines))) + "\n"


def windowed_calls(image):
    """After the link: every call0 that direct_calls() wrote (a CALL_MARK symbol on it) becomes call8
    (CALLn: op0 = 5 in bits 0-3, n in bits 4-5; the offset field and the target rule are the same).
    Each marked address must hold a call0 in the image, else the link fails. Returns the count."""
    import struct
    with open(image, "r+b") as f:
        elf = bytearray(f.read())
        if elf[:6] != b"\x7fELF\x01\x01":
            raise SystemExit(f"xtensa-cc: {image}: not a 32-bit little-endian ELF")
        shoff, = struct.unpack_from("<I", elf, 0x20)
        shentsize, shnum = struct.unpack_from("<HH", elf, 0x2E)
        # Elf32_Shdr: name, type, flags, addr, offset, size, link, info, addralign, entsize
        sections = [struct.unpack_from("<IIIIIIIIII", elf, shoff + k * shentsize) for k in range(shnum)]
        marked = set()
        for symtab in (sh for sh in sections if sh[1] == 2):  # SHT_SYMTAB
            strings = sections[symtab[6]][4]
            for k in range(symtab[5] // 16):  # Elf32_Sym: name, value, size, info, other, shndx
                name, value, _, _, _, shndx = struct.unpack_from("<IIIBBH", elf, symtab[4] + 16 * k)
                text = elf[strings + name:elf.index(b"\0", strings + name)]
                if text.startswith(CALL_MARK.encode()) and 0 < shndx < len(sections):
                    marked.add((value, shndx))
        for value, shndx in sorted(marked):
            sh = sections[shndx]
            if sh[1] != 1 or not sh[2] & 0x4 or not sh[3] <= value < sh[3] + sh[5] - 2:
                raise SystemExit(f"xtensa-cc: {image}: marked call at 0x{value:x} outside the code")
            offset = sh[4] + value - sh[3]
            if elf[offset] & 0x3F != 0x05:
                raise SystemExit(f"xtensa-cc: {image}: no call0 at 0x{value:x} to make call8")
            elf[offset] |= 0x20
        f.seek(0)
        f.write(elf)
    return len(marked)


def link(args):
    """The link (toolchain.cmake): the driver given, then windowed_calls() on the image."""
    status = subprocess.call(args)
    if status == 0:
        windowed_calls(args[args.index("-o") + 1])
    return status


def main():
    args = sys.argv[1:]
    if args[:1] == ["--link"]:
        return link(args[1:])
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
        f.write(move_literal_pools(shrink(text)))
    status = subprocess.call([LLVM_MC, "-triple=xtensa", "-mattr=" + ",".join(features(args)),
                              "-filetype=obj", asm, "-o", out])
    os.remove(asm)
    return status


if __name__ == "__main__":
    sys.exit(main())
