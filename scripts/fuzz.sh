#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz: clang, the whole library instrumented, AddressSanitizer and
# UndefinedBehaviorSanitizer) in build-fuzz/ and runs each for SECONDS (default 30) on its corpus,
# build-fuzz/corpus/TARGET, which grows from run to run; each target writes its own seeds first.
# Non-zero exit when a target crashes, leaks or breaks its invariant; the input that did it is kept as
# build-fuzz/artifacts/TARGET-*. Replay one with: build-fuzz/bin/TARGET FILE
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: fuzz_receive fuzz_candidates fuzz_chrysalis fuzz_text
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_receive fuzz_candidates fuzz_chrysalis fuzz_text)
build=$PWD/build-fuzz
jobs=$(nproc 2>/dev/null || echo 2)

scripts/install-deps.sh all
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTREAMS_FUZZ=ON \
  -DSTREAMS_BUILD_TESTS=OFF -DSTREAMS_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target seeds=$build/seeds/$target log=$build/$target.log
  mkdir -p "$corpus" "$seeds"
  # Messages the targets read are at most a few KiB; longer inputs only slow the search down.
  if ! STREAMS_FUZZ_SEEDS=$seeds "$build/bin/$target" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$target-" "$corpus" "$seeds" >"$log" 2>&1; then
    grep -vE '^ *#[0-9]+ +(NEW|REDUCE|pulse)' "$log" | tail -40 >&2
    echo "$target FAILED; the input is in $build/artifacts/, the whole log in $log" >&2
    exit 1
  fi
  echo "$target: $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") inputs in ${seconds}s, \
corpus $(ls "$corpus" | wc -l) files, coverage $(grep -oE 'cov: [0-9]+' "$log" | tail -1)"
done
echo "fuzzing passed: ${targets[*]}, ${seconds}s each"
