#!/usr/bin/env bash
# Prints matmul speed (Q4_1, Q8_0) at SmolLM2 shapes, the platform kernels against their portable
# twins, prefill (batch 512), and the matmul-only decode rate of SmolLM2-135M Q4_1; then, when
# llama-cpp-python is installed, llama.cpp's whole decode step on the same model timed the same
# way. Single-thread numbers are CPU time of the working thread (robust on a shared machine);
# 2-thread numbers are wall clock and need an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
GENRM_KERNEL_BENCH=1 swift test -c release -Xswiftc -enable-testing \
    --scratch-path "${SCRATCH:-.build}" --filter MatMulBenchmarkTests 2>&1 \
    | grep -vE '^(\[|Building|Build complete|Test Suite|Test Case|.*started|.*passed after)'
if python3 -c "import llama_cpp" 2>/dev/null; then
    python3 bench/llama_cpp_decode.py --threads 1
fi
