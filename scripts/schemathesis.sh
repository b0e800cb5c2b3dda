#!/usr/bin/env bash
# Property-based tests of the served API against its own OpenAPI document: starts `genrm serve`
# (the embedded default model, an API key, a 2,048-token context so that generations stay short)
# and runs Schemathesis (PyPI, in the test venv) on every operation of /openapi.json: schema-
# valid and schema-violating bodies, missing auth, wrong methods. Every check is on except one:
# positive_data_acceptance (the rules JSON Schema cannot state: a prompt plus its budget within
# the context, token ids within the vocabulary, a system message only first, a history ending
# with the user; each is a 400 naming the field); responses may take 300 s (generation takes what
# it takes). A 5xx, a crash, a response off its schema or an accepted invalid body fails the script.
# Usage: scripts/schemathesis.sh [--examples N] [--seed N]   (default 100 examples, seed 1)
set -euo pipefail
cd "$(dirname "$0")/.."
examples=100 seed=1
while [ $# -gt 0 ]; do
    case "$1" in
        --examples) examples="$2"; shift ;;
        --seed) seed="$2"; shift ;;
        *) echo "usage: scripts/schemathesis.sh [--examples N] [--seed N]" >&2; exit 2 ;;
    esac
    shift
done
python="${GENRM_PYTHON:-${GENRM_CACHE:-$HOME/.cache/genrm}/venv/bin/python}"
"$python" -c 'import schemathesis' 2>/dev/null || "$python" -m pip install --quiet schemathesis >&2
genrm="$(swift build -c release -Xswiftc -enable-testing --show-bin-path)/genrm"
[ -x "$genrm" ] || swift build -c release -Xswiftc -enable-testing --product genrm >&2
key="schemathesis-$RANDOM"
log="$(mktemp)"
"$genrm" serve --host 127.0.0.1 --port 0 --threads 1 --max-model-len 2048 --reasoning-tokens 6 --analysis-tokens 6 \
    --api-key "$key" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
port=""
for _ in $(seq 1 300); do
    port=$(sed -n 's/.* at http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    kill -0 $server 2>/dev/null || { cat "$log" >&2; echo "genrm serve did not start" >&2; exit 1; }
    sleep 0.2
done
[ -n "$port" ] || { cat "$log" >&2; echo "genrm serve did not start" >&2; exit 1; }
status=0
"$python" -m schemathesis.cli run "http://127.0.0.1:$port/openapi.json" --checks all \
    --exclude-checks positive_data_acceptance --max-response-time 300 -H "Authorization: Bearer $key" \
    --workers 1 --max-examples "$examples" --seed "$seed" --request-timeout 300 --continue-on-failure \
    --suppress-health-check all || status=$?
if ! kill -0 $server 2>/dev/null; then
    echo "genrm serve died during the run:" >&2
    tail -40 "$log" >&2
    status=1
fi
exit $status
