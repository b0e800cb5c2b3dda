#!/usr/bin/env bash
# Makes the Python environment the tests and the project's scripts use: a venv at
# $GENRM_CACHE/venv (default ~/.cache/genrm/venv) holding, from PyPI,
#   openai                        the model card's client code (server and gateway tests)
#   llama-cpp-python[server]      llama.cpp's OpenAI-compatible server, a third-party backend and
#                                 the reference for greedy goldens (builds llama.cpp from source
#                                 the first time, a few minutes; pip keeps the wheel in its cache)
#   schemathesis                  property-based tests of the served API against /openapi.json
#                                 (scripts/schemathesis.sh)
#   numpy, safetensors, ml_dtypes tiny Hugging Face checkpoints for the safetensors and config
#                                 tests (scripts/make_hf_fixtures.py, make_hf_llamacpp_variant.py;
#                                 ml_dtypes gives numpy BF16)
# Python is a test peer and golden generator only, never part of genrm itself. The tests find
# the venv through $GENRM_PYTHON (set by the Makefile) or at its default place.
# Idempotent: packages already present are kept. Prints the venv's python on stdout.
set -euo pipefail
cache="${GENRM_CACHE:-$HOME/.cache/genrm}"
venv="$cache/venv"
base="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating the test venv at $venv ..." >&2
    mkdir -p "$cache"
    if ! "$base" -m venv "$venv" >&2 2>/dev/null; then
        # Debian ships venv's ensurepip separately.
        rm -rf "$venv"
        if command -v apt-get >/dev/null; then
            apt-get update -qq >&2 && apt-get install -y -qq python3-venv >&2
        fi
        "$base" -m venv "$venv" >&2
    fi
fi
python="$venv/bin/python"
"$python" -c 'import openai' 2>/dev/null || "$python" -m pip install --quiet openai >&2
"$python" -c 'import schemathesis' 2>/dev/null || "$python" -m pip install --quiet schemathesis >&2
"$python" -c 'import numpy, safetensors, ml_dtypes' 2>/dev/null || "$python" -m pip install --quiet numpy safetensors ml_dtypes >&2
if ! "$python" -c 'import llama_cpp.server' 2>/dev/null; then
    echo "installing llama-cpp-python[server] (builds llama.cpp; a few minutes the first time) ..." >&2
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" "$python" -m pip install --quiet 'llama-cpp-python[server]' >&2
fi
echo "$python"
