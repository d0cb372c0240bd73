#!/usr/bin/env python3
"""firmware_esp32_size: the firmware (every layer the flow uses, the device state, libsodium) compiled
for the ESP32's core with its full feature set (clang-22 --target=xtensa, the 29 features of LLVM's
Proc<"esp32">, -Os) and linked with binutils-xtensa-lx106's ld (firmware/xtensa/sim.ld), plus the C
bindings compiled for it (a library of the build). No upstream QEMU core has the ESP32's features, so
the image is sized, not run. Prints our code + data as the ESP32 would carry it and libsodium's apart,
checks the literal-pool workaround and xtensa-cc.py's size pass on the build's objects and the
workarounds for bugs 4 and 5 on the images (check_xtensa_frames.py), and holds the flow image to
the 64 KiB code budget (the image with the device state: reported).

usage: esp32_size.py REPO_ROOT
"""
import os
import re
import subprocess
import sys

root = sys.argv[1]
build = os.path.join(root, "build-firmware-esp32")
problems = []
sizes = {}
for image in ("streams_firmware_flow", "streams_firmware"):
    run = subprocess.run(["bash", f"{root}/scripts/firmware.sh", "esp32", image], capture_output=True, text=True,
                         timeout=1800)
    print(f"===== esp32 {image} =====")
    print(run.stdout)
    print(run.stderr, file=sys.stderr)
    if run.returncode != 0:
        problems.append(f"{image}: the build failed ({run.returncode})")
    sizes[image] = {k: int(v) for k, v in re.findall(r"^(\w+)=(\d+)", run.stdout, re.MULTILINE)}
    for name in ("code_bytes", "libsodium_code_bytes"):
        if sizes[image].get(name, 0) <= 0:
            problems.append(f"{image}: no {name} in the size report")

bindings = subprocess.run(["cmake", "--build", build, "--target", "streams_c"], capture_output=True, text=True)
if bindings.returncode != 0:
    print(bindings.stdout[-3000:], bindings.stderr[-3000:])
    problems.append("the C bindings do not compile for the ESP32")
else:
    text = subprocess.run(["xtensa-lx106-elf-size", "-t", os.path.join(build, "lib", "libstreams_c.a")],
                          capture_output=True, text=True).stdout.splitlines()
    total = text[-1].split() if text else []
    if total:
        print(f"c_bindings_object_bytes={int(total[0]) + int(total[1])}  # text+data before linking")

for image, figures in sizes.items():
    if "code_bytes" in figures:
        enforced = image == "streams_firmware_flow"
        print(f"budget esp32 {image} code_bytes: {figures['code_bytes']} vs 65536 "
              f"({'within' if figures['code_bytes'] <= 65536 else 'OVER'}{'' if enforced else ', reported'})")
        if enforced and figures["code_bytes"] > 65536:
            problems.append(f"{image}: code_bytes={figures['code_bytes']} is over the budget of 65536")

check = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "check_xtensa_literals.py"), build,
                        os.path.join(build, "streams_firmware_flow.map")], capture_output=True, text=True)
print(check.stdout)
if check.returncode != 0:
    problems.append("the literal-pool workaround (LLVM 22 Xtensa bugs 1, 2) or the size pass "
                    "(xtensa-cc.py) is not applied")
frames = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "check_xtensa_frames.py")] +
                        [os.path.join(build, "bin", f"{image}.elf") for image in ("streams_firmware_flow", "streams_firmware")],
                        capture_output=True, text=True)
print(frames.stdout)
if frames.returncode != 0:
    problems.append("the workarounds for LLVM 22 Xtensa bugs 4 and 5 are not applied")
for p in problems:
    print(f"FAIL {p}")
sys.exit(1 if problems else 0)
