#!/usr/bin/env python3
"""firmware_qemu_flow, firmware_qemu_riscv32_flow, firmware_qemu_xtensa_flow: builds the firmware for one core and runs its two
images in QEMU:
  - streams_firmware_flow, the original flow alone: it must complete, print every figure, and keep within
    the budgets every core shares (issue 12): peak stack <= 8,192 B, peak heap <= 24 KiB, our code +
    data <= 64 KiB;
  - streams_firmware, the same flow with both users' state saved to flash after every step and restored
    ("rebooted") at four points: it must complete with the reboots, within the stack and heap budgets,
    and (RISC-V, no error texts) within the 64 KiB of code too; on the other cores its code is reported.
Every figure is printed with its verdict.

On xtensa it also checks the workarounds for the LLVM 22 Xtensa bugs (firmware/xtensa/): the first line
goes through the runtime's printf with a string and two numbers as its variadic arguments (bug 3: va_start
one word off), and the build's objects are checked for the literal-pool move (bugs 1 and 2); an argument
probe line and the images' disassembly check the workarounds for bugs 4 and 5 (check_xtensa_frames.py).

usage: run_firmware.py REPO_ROOT [CORE]     CORE: cortex-m4 (default), riscv32 or xtensa
"""
import os
import re
import subprocess
import sys

FIGURES = ["peak_stack_bytes", "peak_heap_bytes", "code_bytes", "libsodium_code_bytes",
           "instructions_send_signed", "instructions_receive_signed",
           "instructions_libsodium_sign", "instructions_libsodium_verify"]
BUDGETS = {"peak_stack_bytes": 8192, "peak_heap_bytes": 24 * 1024, "code_bytes": 64 * 1024}
REBOOTS = 4

root = sys.argv[1]
core = sys.argv[2] if len(sys.argv) > 2 else "cortex-m4"
problems = []


def run_image(image):
    run = subprocess.run(["bash", f"{root}/scripts/firmware.sh", core, image], capture_output=True, text=True,
                         timeout=1800)
    print(f"===== {core} {image} =====")
    print(run.stdout)
    print(run.stderr, file=sys.stderr)
    figures = {name: int(value) for name, value in re.findall(r"^(\w+)=(\d+)", run.stdout, re.MULTILINE)}
    figures["_stdout"] = run.stdout
    if run.returncode != 0:
        problems.append(f"{image}: the firmware run exited with {run.returncode}")
    if "FLOW COMPLETED" not in run.stdout:
        problems.append(f"{image}: the flow did not complete")
    problems.extend(f"{image}: missing figure {name}=" for name in FIGURES if name not in figures)
    return figures


def check_budgets(image, figures, failing):
    for name, budget in BUDGETS.items():
        if name not in figures:
            continue
        within = figures[name] <= budget
        enforced = name in failing
        print(f"budget {image} {name}: {figures[name]} vs {budget} "
              f"({'within' if within else 'OVER'}{'' if enforced else ', reported'})")
        if not within and enforced:
            problems.append(f"{image}: {name}={figures[name]} is over the budget of {budget}")


# Every core's flow image is held to every budget. (Xtensa's code budget was reported only until
# firmware/xtensa/xtensa-cc.py's size pass: direct calls and density instructions, 75,980 -> 57.5 KB.)
CODE_BUDGET_REPORTED_ONLY = set()
flow_failing = [name for name in BUDGETS if not (name == "code_bytes" and core in CODE_BUDGET_REPORTED_ONLY)]
flow = run_image("streams_firmware_flow")
check_budgets("streams_firmware_flow", flow, flow_failing)
for name, ops in (("send_signed", "libsodium_sign"), ("receive_signed", "libsodium_verify")):
    if f"instructions_{name}" in flow and f"instructions_{ops}" in flow:
        print(f"ratio instructions_{name} / instructions_{ops}: "
              f"{flow[f'instructions_{name}'] / flow[f'instructions_{ops}']:.2f}")

if core == "xtensa":
    # The varargs probe: description (a string), then RAM and stack sizes, read by va_arg in order.
    header = re.search(r"^iota-streams-cpp firmware: (.*), (\d+) KiB RAM, (\d+) KiB stack region$",
                       flow.get("_stdout", ""), re.MULTILINE)
    expected = ("Xtensa LX6 windowed ABI, ESP32 class (QEMU sim, dc233c)", "320", "32")
    print(f"varargs probe: {header.groups() if header else None} (expected {expected})")
    # firmware/xtensa/runtime.c prints this before main: a string, 32- and 64-bit numbers, some of them
    # past the six argument registers.
    probe = "varargs probe: xtensa 320 81985529216486895 -5 42 7 18364758544493064720"
    if probe not in flow.get("_stdout", "").splitlines():
        problems.append(f"xtensa: the runtime's varargs probe did not print '{probe}' (LLVM 22 Xtensa bug 3)")
    if not header or header.groups() != expected:
        problems.append("xtensa: the runtime's printf read its variadic arguments wrong (LLVM 22 Xtensa bug 3)")
    build = os.path.join(root, "build-firmware-xtensa")
    check = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "check_xtensa_literals.py"),
                            build, os.path.join(build, "streams_firmware_flow.map")], capture_output=True, text=True)
    print(check.stdout)
    if check.returncode != 0:
        problems.append("xtensa: the literal-pool workaround (LLVM 22 Xtensa bugs 1, 2) or the size pass "
                        "(xtensa-cc.py) is not applied")
    # Bugs 4 and 5: the runtime's argument probe (eight arguments into a function with a local declared
    # CRYPTO_ALIGN(64): bug 5), and every function of both images free of frame pointers set over an
    # unread a7 (bug 4) and of stack realignment (bug 5).
    argument_probe = "argument probe: 606707808 (the 6th, 7th and 8th arguments: 606, 707, 808)"
    if argument_probe not in flow.get("_stdout", "").splitlines():
        problems.append(f"xtensa: the runtime's argument probe did not print '{argument_probe}' "
                        "(LLVM 22 Xtensa bugs 4, 5)")
    frames = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "check_xtensa_frames.py")] +
                            [os.path.join(build, "bin", f"{image}.elf") for image in
                             ("streams_firmware_flow", "streams_firmware")], capture_output=True, text=True)
    print(frames.stdout)
    if frames.returncode != 0:
        problems.append("xtensa: the workarounds for LLVM 22 Xtensa bugs 4 and 5 are not applied")

# The device-state image's code is enforced on RISC-V (no error texts: 64,129 B once the state
# stopped being described for a size-of pass and the slot texts went without error texts; 65,599 B
# before) and reported elsewhere: the Cortex-M4 keeps its error texts (70.6 KB), Xtensa's is 69.2 KB
# after xtensa-cc.py's size pass. The flow image's code is enforced on every core.
DEVICE_STATE_CODE_ENFORCED = {"riscv32"}
device = run_image("streams_firmware")
check_budgets("streams_firmware", device, ["peak_stack_bytes", "peak_heap_bytes"] +
              (["code_bytes"] if core in DEVICE_STATE_CODE_ENFORCED else []))
if device.get("device_state_reboots") != REBOOTS:
    problems.append(f"streams_firmware: {device.get('device_state_reboots')} reboots from saved state, not {REBOOTS}")

for p in problems:
    print(f"FAIL {p}")
sys.exit(1 if problems else 0)
