#!/usr/bin/env bash
# Runs the model card's client code (scripts/card_client.py, the real `openai` package) against
# `genrm serve --max-model-len 40000` and checks that what it prints parses with `genrm parse`.
# Usage: scripts/card_client_test.sh [path/to/genrm]   (default: the release build in .build)
set -euo pipefail
cd "$(dirname "$0")/.."
GENRM="${1:-.build/release/genrm}"
python3 -c "import openai" 2>/dev/null || { echo "card_client_test: needs the openai package: pip install openai" >&2; exit 1; }
PORT="${GENRM_PORT:-$((20000 + RANDOM % 20000))}"
LOG="$(mktemp)"
"$GENRM" serve --served-model-name "nvidia/Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual" \
  --host 127.0.0.1 --port "$PORT" --max-model-len 40000 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.5
done
for example in one two; do
  responses=$([ "$example" = one ] && echo 1 || echo 2)
  OUT="$(GENRM_PORT=$PORT python3 scripts/card_client.py "$example")"
  echo "--- card example: $example response(s)"
  echo "$OUT"
  echo "$OUT" | "$GENRM" parse --responses "$responses" >/dev/null
done
kill -TERM $SERVER
wait $SERVER
trap - EXIT
rm -f "$LOG"
echo "card_client_test: both card examples parse; server exited 0 on SIGTERM"
