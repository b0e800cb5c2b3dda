#!/usr/bin/env bash
# Prints matvec speed (Q4_1, Q8_0) at SmolLM2 shapes against the memory-bandwidth bound, and the
# matmul-only decode rate of SmolLM2-135M Q4_1, on 1 and 2 threads. Timings are wall-clock: run
# on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
GENRM_KERNEL_BENCH=1 swift test -c release -Xswiftc -enable-testing \
    --scratch-path "${SCRATCH:-.build}" --filter MatMulBenchmarkTests 2>&1 \
    | grep -vE '^(\[|Building|Build complete|Test Suite|Test Case|.*started)'
