#!/usr/bin/env python3
"""firmware_qemu_flow, firmware_qemu_riscv32_flow: builds the firmware for one core, runs the original
flow in QEMU, and passes only if the run ended by itself with status 0, completed the flow, printed
every figure, and kept within the budgets every core shares (issue 12): peak stack <= 8,192 B, peak heap
<= 24 KiB, our code + data <= 64 KiB. Every figure is printed with its verdict.

usage: run_firmware.py REPO_ROOT [CORE]     CORE: cortex-m4 (default) or riscv32
"""
import re
import subprocess
import sys

FIGURES = ["peak_stack_bytes", "peak_heap_bytes", "code_bytes", "libsodium_code_bytes",
           "instructions_send_signed", "instructions_receive_signed",
           "instructions_libsodium_sign", "instructions_libsodium_verify"]
BUDGETS = {"peak_stack_bytes": 8192, "peak_heap_bytes": 24 * 1024, "code_bytes": 64 * 1024}

root = sys.argv[1]
core = sys.argv[2] if len(sys.argv) > 2 else "cortex-m4"
run = subprocess.run(["bash", f"{root}/scripts/firmware.sh", core], capture_output=True, text=True, timeout=1800)
print(run.stdout)
print(run.stderr, file=sys.stderr)
figures = {name: int(value) for name, value in re.findall(r"^(\w+)=(\d+)", run.stdout, re.MULTILINE)}
problems = []
if run.returncode != 0:
    problems.append(f"the firmware run exited with {run.returncode}")
if "FLOW COMPLETED" not in run.stdout:
    problems.append("the flow did not complete")
problems += [f"missing figure {name}=" for name in FIGURES if name not in figures]
for name, budget in BUDGETS.items():
    if name in figures:
        within = figures[name] <= budget
        print(f"budget {name}: {figures[name]} vs {budget} ({'within' if within else 'OVER'})")
        if not within:
            problems.append(f"{name}={figures[name]} is over the budget of {budget}")
for name, ops in (("send_signed", "libsodium_sign"), ("receive_signed", "libsodium_verify")):
    if f"instructions_{name}" in figures and f"instructions_{ops}" in figures:
        print(f"ratio instructions_{name} / instructions_{ops}: "
              f"{figures[f'instructions_{name}'] / figures[f'instructions_{ops}']:.2f}")
for p in problems:
    print(f"FAIL {p}")
sys.exit(1 if problems else 0)
