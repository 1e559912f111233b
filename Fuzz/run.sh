#!/usr/bin/env bash
# Runs each libFuzzer harness in turn (never two at once) for SECONDS seconds, from its seed corpus
# Fuzz/corpus/<harness>/ plus what earlier runs kept in test-output/fuzz/corpus/<harness>/ (new inputs
# go there, never into the repository). An input slower than 1 s, a crash (ASan, a Swift trap), a leak
# or more than 2 GiB resident is a failure: libFuzzer stops that harness and writes the input to
# test-output/fuzz/<harness>-{crash,timeout,leak,oom}-<sha1>. Every harness runs even when one failed;
# the exit status is 1 when any failed. A summary table goes to standard output and
# test-output/fuzz/summary.md. Usage: Fuzz/run.sh SECONDS HARNESS... (extra libFuzzer flags in FUZZ_ARGS).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=$1; shift
bin=${FUZZ_BIN:-.build-fuzz/release}
out=test-output/fuzz
mkdir -p "$out"
summary="$out/summary.md"
{
    echo "| harness | result | executions | exec/s | seconds | slowest input (s) | peak RSS (MB) | corpus (files) |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$summary"
failed=0
for harness in "$@"; do
    corpus="$out/corpus/$harness"
    mkdir -p "$corpus"
    # Harnesses that load a folder from disk run the process-wide leak check only at exit: libFuzzer's
    # check after every input that looks leaky scans the whole heap, which made them 10x slower.
    leaks=1
    case $harness in FuzzLinks|FuzzImport) leaks=0 ;; esac
    log="$out/$harness.log"
    start=$(date +%s)
    echo "== $harness: ${seconds}s (log: $log)"
    # Swift's own crash backtracer off: libFuzzer reports the trap (with the stack) and keeps the input;
    # under ASan the backtracer's memory reads are themselves reported, which hid the real failure.
    SWIFT_BACKTRACE=enable=no \
    LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
    "$bin/$harness" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -detect_leaks=$leaks \
        -print_final_stats=1 -artifact_prefix="$out/$harness-" ${FUZZ_ARGS:-} \
        "$corpus" "Fuzz/corpus/$harness" > "$log" 2>&1
    status=$?
    elapsed=$(( $(date +%s) - start ))
    stat() { grep -o "stat::$1: *[0-9.]*" "$log" | tail -1 | awk '{print $2}'; }
    if [ $status -eq 0 ]; then result=ok; else
        result="FAILED (exit $status)"; failed=1
        grep -E "^==[0-9]+==ERROR|^SUMMARY|Test unit written|ALARM|out-of-memory|Fatal error" "$log" | head -8
    fi
    files=$(ls "$corpus" | wc -l)
    echo "| $harness | $result | $(stat number_of_executed_units) | $(stat average_exec_per_sec) | $elapsed | $(stat slowest_unit_time_sec) | $(stat peak_rss_mb) | $files |" | tee -a "$summary"
done
cat "$summary"
exit $failed
