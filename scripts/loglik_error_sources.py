#!/usr/bin/env python3
"""Which rounding moves prompt log-probabilities away from exact, and by how much: the float64
forward pass of scripts/golden_loglik_exact.py with one engine rounding switched on at a time
(8-bit activations into the layer matmuls, the same with f16 block scales as ggml stores them,
8-bit activations into the output matmul, an f16 KV cache, float32 activations), then all of
them together, on the prompts of Tests/RemoteTests/Fixtures/loglik-exact.json. Prints, per
prompt and configuration, the average over its tokens of |logprob - exact| (nats per token), and
last how far the 8-bit scheme lands from itself when only its arithmetic changes (float64 vs
float32 around the same quantisation): as far as from exact, because the rounding is chaotic (a
value that crosses a rounding boundary perturbs the next layer's roundings), so an engine's
per-prompt distance from exact is a draw from that noise, not a property of its code.

Usage: scripts/loglik_error_sources.py [--model PATH]     (needs numpy and gguf)
"""
import argparse
import json
import os
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from golden_loglik_exact import FIXTURES, SmolLM2  # noqa: E402

CONFIGURATIONS = [
    ("q8 layers", {"q8"}),
    ("q8 layers f16 d", {"q8", "q8-f16"}),
    ("q8 output", {"q8-output"}),
    ("f16 KV", {"f16-kv"}),
    ("f32", {"f32"}),
    ("genrm-like", {"q8", "q8-output", "f16-kv", "f32"}),
    ("llama.cpp-like", {"q8", "q8-f16", "q8-output", "f16-kv", "f32"}),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    cache = pathlib.Path(os.environ.get("GENRM_CACHE", pathlib.Path.home() / ".cache/genrm"))
    parser.add_argument("--model", default=str(cache / "models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    args = parser.parse_args()

    model = SmolLM2(args.model)
    golden = json.loads((FIXTURES / "loglik-exact.json").read_text())["prompts"]
    print("tokens  " + "".join(f"{name:>17}" for name, _ in CONFIGURATIONS) + f"{'q8 f64 vs f32':>17}  prompt")
    totals = {name: [] for name, _ in CONFIGURATIONS}
    totals["self"] = []
    for entry in golden:
        ids = np.array(entry["token_ids"])
        exact = np.array(entry["token_logprobs"][1:], dtype=np.float64)
        cells = []
        values = {}
        for name, rounding in CONFIGURATIONS + [("q8 all f64", {"q8", "q8-output"}), ("q8 all f32", {"q8", "q8-output", "f32"})]:
            table = model.logprobs(ids, frozenset(rounding))
            values[name] = np.array([table[i - 1, ids[i]] for i in range(1, len(ids))])
            if name in totals:
                totals[name] += list(np.abs(values[name] - exact))
                cells.append(f"{np.abs(values[name] - exact).mean():17.4f}")
        apart = np.abs(values["q8 all f64"] - values["q8 all f32"])
        totals["self"] += list(apart)
        cells.append(f"{apart.mean():17.4f}")
        print(f"{len(ids) - 1:6d}  " + "".join(cells) + f"  {entry['prompt'][:40]!r}")
    print("set     " + "".join(f"{np.mean(totals[name]):17.4f}" for name, _ in CONFIGURATIONS) + f"{np.mean(totals['self']):17.4f}")


if __name__ == "__main__":
    main()
