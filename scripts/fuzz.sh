#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz: clang, the whole library instrumented, AddressSanitizer and
# UndefinedBehaviorSanitizer) in build-fuzz/ and runs each on its corpus, build-fuzz/corpus/TARGET,
# which grows from run to run; each target writes its own seeds first.
# Non-zero exit when a target crashes, leaks or breaks its invariant; the input that did it is kept as
# build-fuzz/artifacts/TARGET-*. Replay one with: build-fuzz/bin/TARGET FILE
#   scripts/fuzz.sh [--runs N] [--jobs J] [SECONDS] [TARGET...]
#     targets: fuzz_receive fuzz_candidates fuzz_chrysalis fuzz_text (default: all four, in turn)
#     SECONDS: time per target (default 30; with --runs, none: the run ends after N executions)
#     --runs N: stop each target after N executions (or SECONDS, whichever comes first)
#     --jobs J: J fuzzing processes per target (libFuzzer -fork=J) sharing the corpus; default one
# Each target's summary line gives executions, seconds, executions per second, corpus files and
# coverage; the whole log is build-fuzz/TARGET.log. To stop a long run early without losing its
# figures: kill -INT the fuzzer's process (build-fuzz/bin/TARGET); the script then prints the summary,
# marked INTERRUPTED, and exits 130.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="" fork=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --jobs) fork=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "usage: $0 [--runs N] [--jobs J] [SECONDS] [TARGET...]" >&2; exit 2 ;;
    *) break ;;
  esac
done
for value in "$runs" "$fork"; do
  [[ -z "$value" || "$value" =~ ^[1-9][0-9]*$ ]] || { echo "--runs and --jobs take a positive number" >&2; exit 2; }
done
seconds=""
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
if [ -z "$seconds" ]; then
  if [ -n "$runs" ]; then seconds=0; else seconds=30; fi  # -max_total_time=0: no time limit
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_receive fuzz_candidates fuzz_chrysalis fuzz_text)
build=$PWD/build-fuzz
jobs=$(nproc 2>/dev/null || echo 2)

scripts/install-deps.sh all
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTREAMS_FUZZ=ON \
  -DSTREAMS_BUILD_TESTS=OFF -DSTREAMS_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

options=(-max_total_time="$seconds" -max_len=4096 -print_final_stats=1)
[ -z "$runs" ] || options+=(-runs="$runs")
[ -z "$fork" ] || options+=(-fork="$fork")
mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target seeds=$build/seeds/$target log=$build/$target.log
  mkdir -p "$corpus" "$seeds"
  start=$(date +%s) status=0
  # Messages the targets read are at most a few KiB; longer inputs only slow the search down.
  STREAMS_FUZZ_SEEDS=$seeds "$build/bin/$target" "${options[@]}" \
    -artifact_prefix="$build/artifacts/$target-" "$corpus" "$seeds" >"$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - start))
  # The final statistics of one process; with --jobs, the last status line of the parent.
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$executions" ] || executions=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  summary="$target: ${executions:-0} executions in ${elapsed}s \
($((${executions:-0} / (elapsed > 0 ? elapsed : 1))) exec/s), corpus $(ls "$corpus" | wc -l) files, \
coverage $(grep -oE 'cov: [0-9]+' "$log" | tail -1)"
  # Stopped from outside (kill -INT of the fuzzer): no finding, but not the run that was asked for.
  if [ "$status" != 0 ] && grep -q 'libFuzzer: run interrupted' "$log"; then
    echo "$summary; INTERRUPTED (no finding)" >&2
    exit 130
  fi
  if [ "$status" != 0 ]; then
    grep -vE '^ *#[0-9]+:? +(NEW|REDUCE|pulse|cov)' "$log" | tail -40 >&2
    echo "$target FAILED; the input is in $build/artifacts/, the whole log in $log" >&2
    exit 1
  fi
  echo "$summary"
done
limit="${seconds}s"
[ "$seconds" != 0 ] || limit="no time limit"
echo "fuzzing passed: ${targets[*]}; each ${runs:+up to $runs executions, }$limit"
