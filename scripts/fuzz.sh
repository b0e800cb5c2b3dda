#!/usr/bin/env bash
# Fuzzes genrm's parsers with libFuzzer (+ AddressSanitizer): builds genrm-fuzz with
# -sanitize=fuzzer,address into .build-fuzz (linked by lld: gold fails on its objects), then runs each target on a copy of its committed
# corpus (fuzz/corpus/<target>, seeds from scripts/fuzz-seeds.py), for a time or a number of runs.
# A crash, leak or timeout leaves its input in fuzz/findings/<target>/ and fails the script;
# replay one with: .build-fuzz/release/genrm-fuzz <target> fuzz/findings/<target>/<file>
# Usage: scripts/fuzz.sh [--time SECONDS | --runs N] [--seed N] [--merge] [target ...]
#   targets: gguf safetensors jinja json-request judgment results (default: all)
#   --merge: fold what a run found new into the committed corpus (minimised), for a commit
set -euo pipefail
cd "$(dirname "$0")/.."
limit="-max_total_time=30" seed="" merge=0 targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --time) limit="-max_total_time=$2"; shift ;;
        --runs) limit="-runs=$2"; shift ;;
        --seed) seed="-seed=$2"; shift ;;
        --merge) merge=1 ;;
        -*) echo "usage: scripts/fuzz.sh [--time S | --runs N] [--seed N] [--merge] [target ...]" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done
[ ${#targets[@]} -gt 0 ] || targets=(gguf safetensors jinja json-request judgment results)
scratch="${FUZZ_SCRATCH:-.build-fuzz}"
build_log="$(mktemp)"
if ! swift build -c release --scratch-path "$scratch" --product genrm-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DGENRM_FUZZ -Xswiftc -use-ld=lld >"$build_log" 2>&1; then
    grep -E "error" "$build_log" >&2 || tail -20 "$build_log" >&2
    echo "fuzz build failed" >&2
    exit 1
fi
rm -f "$build_log"
binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/genrm-fuzz"
[ -x "$binary" ] || { echo "fuzz build failed" >&2; exit 1; }
status=0
for target in "${targets[@]}"; do
    work="$(mktemp -d)"
    cp -r "fuzz/corpus/$target/." "$work/"
    mkdir -p "fuzz/findings/$target"
    log="$(mktemp)"
    # Inputs up to 64 KiB (GGUF headers and templates are larger than libFuzzer's 4 KiB default);
    # one input may take 10 s before it counts as a hang; RSS above 2 GiB counts as a leak.
    if ! "$binary" "$target" "$work" $limit $seed -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="fuzz/findings/$target/" -print_final_stats=1 >"$log" 2>&1; then
        status=1
        echo "FAILED: $target (input in fuzz/findings/$target/)" >&2
        grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5 >&2
    fi
    runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo "?")
    seconds=$(grep -oE "Done [0-9]+ runs in [0-9]+ second" "$log" | grep -oE "in [0-9]+" | grep -oE "[0-9]+" || echo "?")
    coverage=$(grep -oE "cov: [0-9]+" "$log" | tail -1 | grep -oE "[0-9]+" || echo "?")
    echo "$target: $runs executions in ${seconds}s, coverage $coverage edges, corpus $(ls "$work" | wc -l) inputs"
    if [ "$merge" = 1 ]; then
        merged="$(mktemp -d)"
        "$binary" "$target" -merge=1 "$merged" "fuzz/corpus/$target" "$work" -max_len=65536 >/dev/null 2>&1
        rm -rf "fuzz/corpus/$target" && mv "$merged" "fuzz/corpus/$target"
    fi
    rm -rf "$work" "$log"
    rmdir "fuzz/findings/$target" 2>/dev/null || true
done
rmdir fuzz/findings 2>/dev/null || true
exit $status
