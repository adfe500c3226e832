#!/usr/bin/env bash
# Fuzzes ocppscope's own parsers with libFuzzer (README, "Fuzzing").
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Builds the `ocppscope-fuzz` product with the recipe of the toolchain notes
# (fuzzer + address sanitizer, scratch path .build-fuzz), writes a seed corpus
# per target from samples/, then runs every target (or the ones named) for
# SECONDS_PER_TARGET (default 60) on one core. The corpus grown by a run is
# kept in .build-fuzz/corpus/<target>/ (git-ignored) and reused next time.
# Any crash, leak, timeout or out-of-memory is saved into
# Tests/FuzzRegressions/<target>/ and makes the script exit non-zero; the
# regression tests (Tests/CaptureTests/FuzzRegressionTests.swift) replay them.
set -uo pipefail
cd "$(dirname "$0")/.."

SECS=${1:-60}
shift || true
ALL=(packets pcap-file tcp-reassembly http-upgrade websocket ocpp-json schema logs)
TARGETS=("${@:-${ALL[@]}}")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")
SCRATCH=.build-fuzz
export SWIFT_BACKTRACE=enable=no

max_len() {
    case "$1" in
        packets|pcap-file|websocket|logs) echo 16384 ;;
        schema) echo 4096 ;;
        *) echo 8192 ;;
    esac
}

start=$(date +%s)
swift build -j 1 -c debug --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xswiftc -use-ld=lld --product ocppscope-fuzz --scratch-path "$SCRATCH" || { echo "fuzz: build failed" >&2; exit 2; }
BIN="$SCRATCH/debug/ocppscope-fuzz"
echo "fuzz: build took $(( $(date +%s) - start )) s"

failed=()
summary=()
for t in "${TARGETS[@]}"; do
    dir="$SCRATCH/corpus/$t"
    rm -rf "$dir/seeds" "$dir/artifacts"
    mkdir -p "$dir/work" "$dir/seeds" "$dir/artifacts" "Tests/FuzzRegressions/$t"
    OCPPSCOPE_FUZZ_TARGET="$t" OCPPSCOPE_FUZZ_SEEDS="$dir/seeds" OCPPSCOPE_FUZZ_SAMPLES=samples "$BIN" \
        || { echo "fuzz: seeds for $t failed" >&2; failed+=("$t(seeds)"); continue; }
    log="$dir/fuzz.log"
    OCPPSCOPE_FUZZ_TARGET="$t" "$BIN" -max_total_time="$SECS" -max_len="$(max_len "$t")" -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
        "$dir/work" "$dir/seeds" "Tests/FuzzRegressions/$t" >"$log" 2>&1
    rc=$?
    counters=$(sed -n 's/^INFO: Loaded 1 modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' "$log" | head -1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1)
    summary+=("$(printf '%-15s %4ss  execs %-9s exec/s %-6s %-10s counters %s' "$t" "$SECS" "${execs:-?}" "${speed:-?}" "${cov:-cov: ?}" "${counters:-?}")")
    if [ -z "$counters" ] || [ "$counters" -lt 10000 ]; then
        echo "fuzz: $t: too few coverage counters (${counters:-none}): the build has no Swift coverage" >&2
        failed+=("$t(coverage)")
    fi
    found=0
    for a in "$dir"/artifacts/*; do
        [ -e "$a" ] || continue
        cp "$a" "Tests/FuzzRegressions/$t/"
        echo "fuzz: $t: saved Tests/FuzzRegressions/$t/$(basename "$a")" >&2
        found=1
    done
    if [ $rc -ne 0 ] || [ $found -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' "$log"; then
        echo "fuzz: $t FAILED (exit $rc); log: $log" >&2
        grep -E '^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*: Fatal error)' "$log" | head -5 >&2
        failed+=("$t")
    fi
done

echo "fuzz: summary (${SECS}s per target; wall $(( $(date +%s) - start )) s)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: no crash, leak or timeout"
