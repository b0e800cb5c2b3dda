#!/usr/bin/env bash
# Installs the Python peers the tests talk to, from PyPI, when they are missing:
#   openai                        the model card's client code (server and gateway tests)
#   llama-cpp-python[server]      llama.cpp's OpenAI-compatible server, a third-party backend
#                                 (builds llama.cpp from source the first time, a few minutes;
#                                 pip keeps the built wheel in its cache for later runs)
# Idempotent; used by `make test`.
set -euo pipefail
python="${PYTHON:-python3}"
"$python" -c 'import openai' 2>/dev/null || "$python" -m pip install --quiet openai >&2
if ! "$python" -c 'import llama_cpp.server' 2>/dev/null; then
    echo "installing llama-cpp-python[server] (builds llama.cpp; a few minutes the first time) ..." >&2
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" "$python" -m pip install --quiet 'llama-cpp-python[server]' >&2
fi
