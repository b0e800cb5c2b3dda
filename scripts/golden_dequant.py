#!/usr/bin/env python3
"""Writes golden dequantisation and quantisation values for the Swift tensor tests, using the
Python `gguf` package's own numpy reference (`gguf.quants.dequantize` / `gguf.quants.quantize`).

Output: Tests/EngineTests/Fixtures/dequant-golden.json with
  "random":   for F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q8_0, Q4_K, Q5_K, Q6_K: `blocks` random blocks
              (`bytes`, hex) and their dequantised values (`bits`, the f32 bit patterns as
              8-hex-digit big-endian words, concatenated). Quantised bytes are uniform random
              except the f16 scale fields, which are finite f16 values of magnitude <= 2, so no
              block decodes to NaN or infinity.
  "real":     rows of tensors of SmolLM2-135M-Instruct.Q4_1.gguf ($GENRM_CACHE or ~/.cache/genrm):
              tensor name, row index and the dequantised row's bits (the test reads the bytes
              from the same file, and skips when it is absent).
  "quantize": for F16, BF16, Q8_0, Q4_0, Q4_1: random floats (`input` bits) and the encoded
              bytes of `gguf.quants.quantize` (`bytes`, hex).
The Swift reference must match every value bitwise.
"""
import json
import os
import pathlib

import numpy as np
from gguf import GGMLQuantizationType as T
from gguf import GGUFReader
from gguf.quants import dequantize, quantize

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/EngineTests/Fixtures/dequant-golden.json"
CACHE = pathlib.Path(os.environ.get("GENRM_CACHE", pathlib.Path.home() / ".cache/genrm"))
MODEL = CACHE / "models/SmolLM2-135M-Instruct.Q4_1.gguf"

# (block size, bytes per block, byte offsets of f16 scale fields)
LAYOUT = {
    T.F32: (1, 4, []),
    T.F16: (1, 2, []),
    T.BF16: (1, 2, []),
    T.Q4_0: (32, 18, [0]),
    T.Q4_1: (32, 20, [0, 2]),
    T.Q5_0: (32, 22, [0]),
    T.Q8_0: (32, 34, [0]),
    T.Q4_K: (256, 144, [0, 2]),
    T.Q5_K: (256, 176, [0, 2]),
    T.Q6_K: (256, 210, [208]),
}

rng = np.random.default_rng(20240601)


def bits_hex(values: np.ndarray) -> str:
    return "".join(f"{v:08x}" for v in values.astype(np.float32).view(np.uint32).ravel())


def random_blocks(qtype: T, blocks: int) -> np.ndarray:
    _, size, scales = LAYOUT[qtype]
    if qtype == T.F32:
        return rng.standard_normal(blocks).astype(np.float32).view(np.uint8)
    if qtype == T.F16:
        # Every finite f16 class: normals, subnormals, zeros, and infinities.
        values = rng.integers(0, 1 << 16, blocks, dtype=np.uint16)
        values = values[(values & 0x7C00) != 0x7C00]
        extra = np.array([0x0000, 0x8000, 0x0001, 0x03FF, 0x7C00, 0xFC00, 0x7BFF], dtype=np.uint16)
        return np.concatenate([values, extra]).view(np.uint8)
    if qtype == T.BF16:
        values = rng.integers(0, 1 << 16, blocks, dtype=np.uint16)
        values = values[(values & 0x7F80) != 0x7F80]
        return values.view(np.uint8)
    data = rng.integers(0, 256, (blocks, size), dtype=np.uint8)
    for offset in scales:
        halves = (rng.uniform(-2, 2, blocks)).astype(np.float16).view(np.uint8).reshape(blocks, 2)
        data[:, offset:offset + 2] = halves
    return data.ravel()


def random_section():
    out = []
    for qtype in LAYOUT:
        block_size, _, _ = LAYOUT[qtype]
        blocks = 512 if block_size == 1 else (16 if block_size == 32 else 4)
        data = random_blocks(qtype, blocks)
        values = dequantize(data, qtype)
        out.append({"type": qtype.name, "bytes": data.tobytes().hex(), "bits": bits_hex(values)})
    return out


def real_section():
    if not MODEL.exists():
        return []
    reader = GGUFReader(MODEL)
    tensors = {t.name: t for t in reader.tensors}
    picks = [("token_embd.weight", [0, 1, 1000, 49151]), ("blk.0.ffn_down.weight", [0, 575]),
             ("blk.29.attn_q.weight", [7]), ("blk.0.attn_norm.weight", [0])]
    out = []
    for name, rows in picks:
        t = tensors[name]
        raw = np.asarray(t.data)
        if raw.ndim == 1:
            raw = raw.reshape(1, -1)
        for row in rows:
            values = dequantize(raw[row].view(np.uint8), t.tensor_type)
            out.append({"tensor": name, "row": row, "type": t.tensor_type.name, "bits": bits_hex(values)})
    return out


def quantize_section():
    out = []
    for qtype in (T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1):
        values = (rng.standard_normal(256) * rng.uniform(0.01, 10)).astype(np.float32)
        values[5] = 0.0
        values[64:96] = 0.0  # an all-zero block exercises the d == 0 branch
        encoded = quantize(values, qtype)
        out.append({"type": qtype.name, "input": bits_hex(values), "bytes": encoded.tobytes().hex()})
    return out


def main():
    golden = {"random": random_section(), "real": real_section(), "quantize": quantize_section()}
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
