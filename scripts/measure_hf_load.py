#!/usr/bin/env python3
"""Measures genrm loading Hugging Face checkpoint directories of growing size: load time (from
genrm's load line), peak resident memory (/usr/bin/time -v) against the files' size and against
`genrm inspect`'s memory plan, with and without --quantize. Prints one row per run; asserts
nothing (timings depend on the machine and what else runs on it).

usage: measure_hf_load.py GENRM OUT_DIR [--layers 2,4,8] [--hidden 2048] [--quantize q8_0,q4_k] [--threads N]
       measure_hf_load.py --write-only OUT_DIR [--layers 4]   (the checkpoints only, OUT_DIR/llama-N;
                                                               GenRMTests' memory test uses it)

Each checkpoint is a random BF16 Llama (hidden 2048, 16 heads / 4 KV heads, FFN 5632, untied
output) of the given layer count, written with make_hf_fixtures.py's writer, with its 128-id
tokenizer (so the vocabulary is 128: the size is in the layers). The weights are random: the
numbers are about memory and time, not text. "load s" is genrm's load line (mapping, checking and,
with --quantize, quantizing); "wall s" the whole `generate` of 4 tokens, which pages the mapped
weights in. "MB/s/thread" is the quantizing speed in MB of the files' BF16 per second per worker
thread (`--threads N` is passed to genrm; default: its own, the machine's cores).
"""
import argparse
import json
import os
import re
import subprocess
import sys

import ml_dtypes
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_hf_fixtures as fixtures  # noqa: E402


def write(directory, layers, hidden, vocab=128, heads=16, kv_heads=4, width=5632):
    if os.path.exists(os.path.join(directory, "config.json")):
        return
    c = fixtures.Checkpoint(ml_dtypes.bfloat16, seed=layers)
    c.ends(hidden, vocab, tied=False)
    for i in range(layers):
        c.attention(f"model.layers.{i}.", hidden, heads, kv_heads, hidden // heads)
        c.mlp(f"model.layers.{i}.", hidden, width)
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": hidden,
              "intermediate_size": width, "num_hidden_layers": layers, "num_attention_heads": heads,
              "num_key_value_heads": kv_heads, "vocab_size": vocab, "max_position_embeddings": 2048,
              "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "hidden_act": "silu", "tie_word_embeddings": False}
    c.write(directory, config, describe=False)
    fixtures.write_tokenizer(directory, 128, fixtures.LLAMA3_SPECIALS, fixtures.LLAMA3_SPLIT,
                             "<|begin_of_text|>", "<|eot_id|>", fixtures.LLAMA3_TEMPLATE)


def run(genrm, directory, quantize, context, threads):
    command = ["/usr/bin/time", "-v", genrm, "generate", "--model", directory, "--prompt", "the cat", "--greedy",
               "--max-tokens", "4", "--max-model-len", str(context)]
    if quantize:
        command += ["--quantize", quantize]
    if threads:
        command += ["--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    load = re.search(r"loaded .* in ([0-9.]+)s", done.stderr)
    quantized = re.search(r"quantized .* in ([0-9.]+)s", done.stderr)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) * 1024
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([0-9.]+)", done.stderr)
    wall = int(clock.group(1) or 0) * 3600 + int(clock.group(2)) * 60 + float(clock.group(3))
    return float(load.group(1)), float(quantized.group(1)) if quantized else None, rss, wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("genrm", nargs="?")
    parser.add_argument("out")
    parser.add_argument("--write-only", action="store_true")
    parser.add_argument("--layers", default="2,4,8")
    parser.add_argument("--hidden", type=int, default=2048)
    parser.add_argument("--quantize", default="q8_0,q4_k")
    parser.add_argument("--context", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.write_only:
        for layers in [int(n) for n in args.layers.split(",")]:
            write(os.path.join(args.out, f"llama-{layers}"), layers, args.hidden)
        return
    mib = 1 << 20
    threads = args.threads or os.cpu_count()
    print("layers  files MiB  quantize  plan MiB  load s  quantize s  MB/s/thread  wall s  peak RSS MiB  RSS - files MiB  RSS / plan")
    for layers in [int(n) for n in args.layers.split(",")]:
        directory = os.path.join(args.out, f"llama-{layers}")
        write(directory, layers, args.hidden)
        files = os.path.getsize(os.path.join(directory, "model.safetensors"))
        inspect = json.loads(subprocess.run([args.genrm, "inspect", directory, "--max-model-len", str(args.context), "--json"],
                                            capture_output=True, text=True, check=True).stdout)
        memory = inspect["memory"]
        for quantize in [None] + args.quantize.split(","):
            weights = memory["weights_as_stored"] if quantize is None else memory["weights_quantized"][quantize]
            plan = weights + memory["kv_bytes_at_context"]
            load, quantized, rss, wall = run(args.genrm, directory, quantize, args.context, args.threads)
            speed = files / 1e6 / quantized / threads if quantized else 0
            print(f"{layers:6d}  {files / mib:9.1f}  {quantize or '-':8s}  {plan / mib:8.1f}  {load:6.2f}  "
                  f"{quantized if quantized is not None else 0:10.2f}  {speed:11.1f}  {wall:6.2f}  {rss / mib:12.1f}  "
                  f"{(rss - files) / mib:15.1f}  {rss / plan:10.3f}", flush=True)


if __name__ == "__main__":
    main()
