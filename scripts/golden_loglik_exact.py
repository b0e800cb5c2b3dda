#!/usr/bin/env python3
"""Regenerates Tests/RemoteTests/Fixtures/loglik-exact.json: exact prompt log-probabilities of
SmolLM2-135M-Instruct Q4_1 on the committed log-likelihood prompts (loglik-prompts.json).

"Exact" means: the weights exactly as the GGUF stores them (Q4_1 blocks d * q + m, Q8_0 blocks
d * q, f16 scales widened exactly, the dequantisation done in float64), and everything else in
float64 without any rounding an engine makes for speed: no 8-bit quantisation of activations, no
f16 KV cache, an exact softmax. The forward pass is llama.cpp's `llama` graph: RMS norm with the
file's epsilon, grouped-query attention (query head h reads key/value head h // (heads / kv
heads)), rope on adjacent pairs (llama.cpp's converter permuted Q/K rows for it), SwiGLU, the
output matrix tied to the token embedding. Both genrm and llama.cpp are held against this file
(RemoteTests/CompletionsAgainstPeersTests); neither is the reference for the other.

Token ids come from `genrm tokenize --special` (tested identical to HF `tokenizers`) and are
stored, so a test can check that the server tokenized the prompt the same way. The first token
has no log-probability (no BOS: SmolLM2's GGUF sets add_bos_token false).

Usage: scripts/golden_loglik_exact.py [--model PATH] [--genrm PATH]
  --model  default $GENRM_CACHE/models/SmolLM2-135M-Instruct.Q4_1.gguf
  --genrm  default .build/release/genrm
Needs numpy and gguf (PyPI, the GGUF reader of llama.cpp's gguf-py): pip install numpy gguf.
About 30 s of CPU. Rerunning rewrites the same values (6 decimals are kept).
"""
import argparse
import hashlib
import json
import os
import pathlib
import subprocess

import numpy as np
from gguf import GGUFReader, GGMLQuantizationType

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests/RemoteTests/Fixtures"


def dequantize(tensor):
    """A GGUF tensor as float64 (rows, cols), every stored value widened exactly."""
    cols = int(tensor.shape[0])
    rows = int(np.prod(tensor.shape[1:])) if len(tensor.shape) > 1 else 1
    raw = np.asarray(tensor.data)
    kind = tensor.tensor_type
    if kind == GGMLQuantizationType.F32:
        return raw.astype(np.float64).reshape(rows, cols)
    blocks = raw.view(np.uint8).reshape(-1)
    if kind == GGMLQuantizationType.Q8_0:
        # 34 bytes per 32 values: f16 d, 32 x int8.
        b = blocks.reshape(-1, 34)
        d = b[:, :2].copy().view(np.float16).astype(np.float64)
        q = b[:, 2:].copy().view(np.int8).astype(np.float64)
        return (d * q).reshape(rows, cols)
    if kind == GGMLQuantizationType.Q4_1:
        # 20 bytes per 32 values: f16 d, f16 m, 16 bytes: low nibbles are values 0-15, high 16-31.
        b = blocks.reshape(-1, 20)
        d = b[:, 0:2].copy().view(np.float16).astype(np.float64)
        m = b[:, 2:4].copy().view(np.float16).astype(np.float64)
        qs = b[:, 4:]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float64)
        return (d * q + m).reshape(rows, cols)
    raise SystemExit(f"{tensor.name}: type {kind.name} is not handled by this script")


class SmolLM2:
    def __init__(self, path):
        reader = GGUFReader(path)
        field = lambda key: reader.fields[key].contents()
        self.hidden = field("llama.embedding_length")
        self.layers = field("llama.block_count")
        self.heads = field("llama.attention.head_count")
        self.kv_heads = field("llama.attention.head_count_kv")
        self.head_dim = self.hidden // self.heads
        # The file stores epsilon as float32; llama.cpp uses that value.
        self.eps = float(np.float32(field("llama.attention.layer_norm_rms_epsilon")))
        self.theta = float(field("llama.rope.freq_base"))
        assert field("general.architecture") == "llama"
        assert field("llama.rope.dimension_count") == self.head_dim
        self.w = {t.name: dequantize(t) for t in reader.tensors}
        assert "output.weight" not in self.w, "this script handles the tied output only"

    def norm(self, x, weight):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps) * weight.reshape(-1)

    def rope(self, x, positions):
        """x: (tokens, heads, head_dim); rotates adjacent pairs (2i, 2i + 1) by pos * theta^(-2i/d)."""
        half = self.head_dim // 2
        freqs = self.theta ** (-np.arange(half, dtype=np.float64) * 2 / self.head_dim)
        angle = positions[:, None, None] * freqs[None, None, :]
        cos, sin = np.cos(angle), np.sin(angle)
        even, odd = x[..., 0::2], x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2] = even * cos - odd * sin
        out[..., 1::2] = even * sin + odd * cos
        return out

    def logprobs(self, ids, rounding=frozenset()):
        """(tokens, vocab) log-softmax of the logits after each token. `rounding` switches on, one
        at a time, what engines round for speed (scripts/loglik_error_sources.py measures each;
        the golden file uses none): "q8" the input of every layer matmul quantised to 8 bits in
        blocks of 32 (d = max|x| / 127, round half away from zero; "q8-f16" also rounds d to f16,
        as ggml's Q8_0/Q8_1 blocks store it), "q8-output" the same for the output matmul, "f16-kv"
        keys and values stored as f16, "f32" every activation rounded to float32 after each step."""
        n = len(ids)
        w = self.w
        f32 = (lambda a: a.astype(np.float32).astype(np.float64)) if "f32" in rounding else (lambda a: a)

        def q8(x, on):
            if not on:
                return x
            blocks = x.reshape(x.shape[0], -1, 32)
            d = np.abs(blocks).max(axis=2, keepdims=True) / 127
            if "q8-f16" in rounding:
                d = d.astype(np.float16).astype(np.float64)
            q = np.where(d > 0, blocks / np.where(d > 0, d, 1), 0)
            q = np.clip(np.sign(q) * np.floor(np.abs(q) + 0.5), -127, 127)
            return (q * d).reshape(x.shape)

        def mm(x, name, on="q8" in rounding or "q8-f16" in rounding):
            return f32(q8(f32(x), on) @ w[name].T)
        positions = np.arange(n, dtype=np.float64)
        x = w["token_embd.weight"][ids]
        group = self.heads // self.kv_heads
        mask = np.triu(np.full((n, n), -np.inf), k=1)
        for layer in range(self.layers):
            p = f"blk.{layer}."
            h = f32(self.norm(x, w[p + "attn_norm.weight"]))
            q = mm(h, p + "attn_q.weight").reshape(n, self.heads, self.head_dim)
            k = mm(h, p + "attn_k.weight").reshape(n, self.kv_heads, self.head_dim)
            v = mm(h, p + "attn_v.weight").reshape(n, self.kv_heads, self.head_dim)
            q, k = f32(self.rope(q, positions)), f32(self.rope(k, positions))
            if "f16-kv" in rounding:
                k, v = k.astype(np.float16).astype(np.float64), v.astype(np.float16).astype(np.float64)
            out = np.empty((n, self.heads, self.head_dim))
            for head in range(self.heads):
                kv = head // group
                scores = q[:, head] @ k[:, kv].T / np.sqrt(self.head_dim) + mask
                scores = np.exp(scores - scores.max(axis=1, keepdims=True))
                out[:, head] = (scores / scores.sum(axis=1, keepdims=True)) @ v[:, kv]
            x = f32(x + mm(out.reshape(n, -1), p + "attn_output.weight"))
            h = f32(self.norm(x, w[p + "ffn_norm.weight"]))
            gate, up = mm(h, p + "ffn_gate.weight"), mm(h, p + "ffn_up.weight")
            x = f32(x + mm(gate / (1 + np.exp(-gate)) * up, p + "ffn_down.weight"))
        logits = mm(self.norm(x, w["output_norm.weight"]), "token_embd.weight", on="q8-output" in rounding)
        top = logits.max(axis=1, keepdims=True)
        return logits - top - np.log(np.exp(logits - top).sum(axis=1, keepdims=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    cache = pathlib.Path(os.environ.get("GENRM_CACHE", pathlib.Path.home() / ".cache/genrm"))
    parser.add_argument("--model", default=str(cache / "models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    parser.add_argument("--genrm", default=str(ROOT / ".build/release/genrm"))
    args = parser.parse_args()

    prompts = json.loads((FIXTURES / "loglik-prompts.json").read_text())["prompts"]
    model = SmolLM2(args.model)
    entries = []
    for prompt in prompts:
        run = subprocess.run([args.genrm, "tokenize", "--model", args.model, "--special", "--text", prompt],
                             check=True, capture_output=True, text=True)
        ids = [int(t) for t in run.stdout.split()]
        table = model.logprobs(np.array(ids))
        values = [None] + [round(float(table[i - 1, ids[i]]), 6) for i in range(1, len(ids))]
        entries.append({"prompt": prompt, "token_ids": ids, "token_logprobs": values})
        print(f"{len(ids):3d} tokens, log-likelihood {sum(values[1:]):9.4f}: {prompt[:50]!r}")

    digest = hashlib.sha256(pathlib.Path(args.model).read_bytes()).hexdigest()
    out = {
        "about": "Exact (float64, weights as stored) prompt log-probabilities of SmolLM2-135M-Instruct Q4_1 on "
                 "loglik-prompts.json; token_logprobs[i] is log p(token i | tokens before it), null for the first. "
                 "Written by scripts/golden_loglik_exact.py.",
        "model": pathlib.Path(args.model).name,
        "model_sha256": digest,
        "prompts": entries,
    }
    path = FIXTURES / "loglik-exact.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
