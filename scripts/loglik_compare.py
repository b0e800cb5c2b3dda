#!/usr/bin/env python3
"""Prints, per prompt of Tests/RemoteTests/Fixtures/loglik-exact.json, how far genrm's and
llama.cpp's prompt log-probabilities are from the exact ones (scripts/golden_loglik_exact.py).

genrm: a running `genrm serve` on the same GGUF, asked `echo: true, max_tokens: 0, logprobs: 1`
(what lm-evaluation-harness sends). llama.cpp: llama-cpp-python in process (the library under
`python -m llama_cpp.server`), the golden token ids evaluated with every row's logits, once with
its default f16 KV cache and once with an f32 one. Every token after the first is compared.

Per prompt and engine: `mean|d|` = the average over its tokens of |logprob - exact| (nats per
token, the figure the RemoteTests hold genrm to), `signed` = the average of logprob - exact.

Usage: scripts/loglik_compare.py --genrm-url http://127.0.0.1:PORT/v1 [--model PATH] [--threads N]
Needs numpy, llama-cpp-python (the test venv, scripts/python-env.sh).
"""
import argparse
import json
import os
import pathlib
import urllib.request

import numpy as np

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "Tests/RemoteTests/Fixtures/loglik-exact.json"


def genrm_logprobs(url, prompt):
    body = json.dumps({"prompt": prompt, "max_tokens": 0, "echo": True, "logprobs": 1}).encode()
    request = urllib.request.Request(url + "/completions", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        return json.load(reply)["choices"][0]["logprobs"]["token_logprobs"]


def llama_cpp_logprobs(model, ids):
    model.reset()
    model.eval(ids)
    logits = np.asarray(model.scores[: len(ids)], dtype=np.float64)
    top = logits.max(axis=1, keepdims=True)
    table = logits - top - np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
    return [None] + [float(table[i - 1, ids[i]]) for i in range(1, len(ids))]


def figures(values, exact):
    d = np.array(values[1:], dtype=np.float64) - np.array(exact[1:], dtype=np.float64)
    return float(np.abs(d).mean()), float(d.mean()), float(np.abs(d).max())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    cache = pathlib.Path(os.environ.get("GENRM_CACHE", pathlib.Path.home() / ".cache/genrm"))
    parser.add_argument("--model", default=str(cache / "models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    parser.add_argument("--genrm-url", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="also write every token's values to this file")
    args = parser.parse_args()

    import llama_cpp

    engines = {"llama.cpp f16 KV": None, "llama.cpp f32 KV": llama_cpp.GGML_TYPE_F32}
    models = {name: llama_cpp.Llama(args.model, n_ctx=512, logits_all=True, n_threads=args.threads, verbose=False,
                                    type_k=kind, type_v=kind) for name, kind in engines.items()}
    golden = json.loads(FIXTURE.read_text())["prompts"]
    names = ["genrm"] + list(engines)
    totals = {name: [] for name in names}
    dump = []
    print("tokens  " + "  ".join(f"{n + ' mean|d| signed worst':>34}" for n in names) + "  prompt")
    for entry in golden:
        ids, exact = entry["token_ids"], entry["token_logprobs"]
        values = {"genrm": genrm_logprobs(args.genrm_url, entry["prompt"])}
        assert len(values["genrm"]) == len(ids), f"genrm tokenized {entry['prompt']!r} apart"
        for name, model in models.items():
            values[name] = llama_cpp_logprobs(model, ids)
        cells = []
        for name in names:
            mean, signed, worst = figures(values[name], exact)
            totals[name] += list(np.array(values[name][1:]) - np.array(exact[1:]))
            cells.append(f"{mean:>18.4f} {signed:+.4f} {worst:.4f}")
        print(f"{len(ids) - 1:6d}  " + "  ".join(cells) + f"  {entry['prompt'][:40]!r}")
        dump.append({"prompt": entry["prompt"], "exact": exact, **values})
    print("set     " + "  ".join(f"{np.abs(totals[n]).mean():>18.4f} {np.mean(totals[n]):+.4f} {np.abs(totals[n]).max():.4f}"
                                 for n in names) + f"  ({len(totals['genrm'])} tokens)")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(dump, indent=1))


if __name__ == "__main__":
    main()
