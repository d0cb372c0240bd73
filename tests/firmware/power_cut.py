#!/usr/bin/env python3
"""firmware_qemu_riscv32_power_cut, firmware_qemu_xtensa_power_cut: a power cut during a save, on the
emulated board, leaves the state before the save or the one it was writing, never neither.

Each trial boots the firmware (streams_firmware, mode "power-cut N") on a device with an erased state
flash: an author saves state #1, #2, then #3 with the power failing when the Nth flash operation (sector
erase or word write) of that save starts; QEMU exits there. The next boot restores the author from the
flash and prints which state it found; it must be #2 or #3 with the fingerprint the first boot printed
for it. N: the first and the last operation, and random ones in between (the seed is printed), after a
first trial without a cut that counts the operations of a save.

Every core runs the same firmware code for this (firmware/main.cpp power_cut_boot, the flash and its
power-cut point in firmware/device_flash.cpp, board::power_off in firmware/board.cpp); what differs is
how a core's C library reaches QEMU's semihosting: picolibc's on cortex-m4 and riscv32, the firmware's
own runtime (firmware/xtensa/runtime.c) on xtensa, whose semihosting has no unlink (an empty flash file
counts as absent; this script deletes the file on the host before each trial, so a trial starts on an
erased device on every core).

usage: power_cut.py REPO_ROOT CORE [TRIALS]     CORE: riscv32, xtensa (cortex-m4 builds the same image)
"""
import os
import random
import re
import subprocess
import sys

root, core = sys.argv[1], sys.argv[2]
trials = int(sys.argv[3]) if len(sys.argv) > 3 else 8
build = f"{root}/build-firmware" if core == "cortex-m4" else f"{root}/build-firmware-{core}"
flash = f"{build}/power-cut.flash"
problems = []


def boot(mode, build_first=False):
    env = dict(os.environ, STREAMS_FIRMWARE_MODE=mode)
    if not build_first:
        env["STREAMS_FIRMWARE_NO_BUILD"] = "1"
    run = subprocess.run(["bash", f"{root}/scripts/firmware.sh", core, "streams_firmware"], capture_output=True,
                         text=True, timeout=900, env=env)
    return run.returncode, run.stdout, run.stderr


def figure(pattern, text):
    match = re.search(pattern, text)
    return match.group(1) if match else None


def trial(cut, build_first=False):
    if os.path.exists(flash):
        os.remove(flash)
    status, out, err = boot(f"power-cut {cut}", build_first)
    states = {2: figure(r"STATE 2 fingerprint=(\w+)", out), 3: figure(r"STATE 3 fingerprint=(\w+)", out)}
    expected = 0 if cut == 0 else 3
    if status != expected or None in states.values():
        problems.append(f"cut {cut}: first boot exited {status} (expected {expected})\n{out}\n{err}")
        return None
    operations = figure(r"save_flash_operations=(\d+)", out)
    status, out, err = boot(f"power-cut {cut}")
    restored = re.search(r"RESTORED state=(\d+) fingerprint=(\w+)", out)
    if status != 0 or not restored:
        problems.append(f"cut {cut}: the next boot restored nothing (exit {status})\n{out}\n{err}")
        return None
    state, fingerprint = int(restored.group(1)), restored.group(2)
    if states.get(state) != fingerprint:
        problems.append(f"cut {cut}: restored state #{state} {fingerprint}, neither #2 {states[2]} nor #3 {states[3]}")
        return None
    print(f"cut at flash operation {cut or 'none'}: the next boot restored state #{state}")
    return int(operations) if operations else state


operations = trial(0, build_first=True)  # no cut: counts a save's flash operations; #3 must come back
if operations is None:
    print("\n".join(f"FAIL {p}" for p in problems))
    sys.exit(1)
print(f"a save takes {operations} flash operations")
seed = random.randrange(1 << 30)
print(f"random cut points from seed {seed}")
points = sorted({1, operations} | set(random.Random(seed).sample(range(2, operations), min(trials, operations - 2))))
outcomes = [trial(cut) for cut in points]
print(f"{len(points)} power cuts: {outcomes.count(2)} restored the old state, {outcomes.count(3)} the new one")
for p in problems:
    print(f"FAIL {p}")
sys.exit(1 if problems else 0)
