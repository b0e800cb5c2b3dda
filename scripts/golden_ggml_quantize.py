#!/usr/bin/env python3
"""Writes Tests/EngineTests/Fixtures/quantize-ggml-golden.json: ggml's own C reference quantizers
(`quantize_row_q8_0_ref`, `quantize_row_q4_K_ref` in the libggml-base that llama-cpp-python ships,
called through ctypes) on rows chosen to reach every branch and edge of their rounding: random
normal rows at scales from 1e-3 to 300, rows with outliers, all-zero, constant, all-negative and
all-positive rows, values on the rounding ties, tiny (1e-30) and huge (1e30, near FLT_MAX) values,
and f32 subnormals (what BF16 subnormals decode to), where ggml's `nearest_int` and its float to
int8 conversion meet infinities and NaNs.

Each row: `name`, `input` (512 values: the f32 bit patterns as 8-hex-digit big-endian words) and
ggml's encodings of it, hex: `Q8_0` (sixteen blocks) and `Q4_K` (two blocks). The Swift reference quantizers must match every byte
(`Tensors/GGMLQuantizationGoldenTests.swift`); the C load quantizers are held to the Swift ones by
`Kernels/RowQuantizerTwinTests.swift`.

Usage: scripts/golden_ggml_quantize.py (in the test venv: numpy, llama-cpp-python)
"""
import ctypes
import json
import pathlib

import llama_cpp
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/EngineTests/Fixtures/quantize-ggml-golden.json"
LIB = ctypes.CDLL(str(pathlib.Path(llama_cpp.__file__).parent / "lib" / "libggml-base.so"))
BLOCK = {"Q8_0": (32, 34, LIB.quantize_row_q8_0_ref), "Q4_K": (256, 144, LIB.quantize_row_q4_K_ref)}
for _, _, function in BLOCK.values():
    function.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    function.restype = None

rng = np.random.default_rng(20261213)


def ggml_quantize(type_name: str, values: np.ndarray) -> bytes:
    block_values, block_bytes, function = BLOCK[type_name]
    values = np.ascontiguousarray(values, dtype=np.float32)
    out = np.zeros(len(values) // block_values * block_bytes, dtype=np.uint8)
    function(values.ctypes.data, out.ctypes.data, len(values))
    return out.tobytes()


def bits_hex(values: np.ndarray) -> str:
    return "".join(f"{v:08x}" for v in values.astype(np.float32).view(np.uint32))


def rows():
    """(name, values), 512 values each."""
    normal = lambda scale: (rng.standard_normal(512) * scale).astype(np.float32)
    for scale in (1.0, 0.02, 300.0, 1e-3):
        yield f"normal x {scale:g}", normal(scale)
    outliers = normal(0.05)
    outliers[7::61] *= 40
    yield "outliers", outliers
    shifted = normal(1.0) + 2.5
    yield "mostly positive", shifted
    yield "all zero", np.zeros(512, np.float32)
    yield "constant", np.full(512, 0.75, np.float32)
    yield "constant negative", np.full(512, -3.5, np.float32)
    yield "all negative", -np.abs(normal(0.3))
    yield "all positive", np.abs(normal(0.3))
    yield "quarter steps (ties)", (rng.integers(-12, 13, 512) * 0.25).astype(np.float32)
    yield "one outlier per block", np.where(np.arange(512) % 256 == 3, 1000.0, normal(0.01)).astype(np.float32)
    yield "tiny 1e-30", normal(1e-30)
    yield "huge 1e30", normal(1e30)
    yield "huge constant 1e30", np.full(512, 1e30, np.float32)
    yield "near FLT_MAX", np.linspace(-3e38, 3e38, 512).astype(np.float32)
    yield "f32 subnormals", normal(1e-39)
    yield "negative subnormal constant", np.full(512, -1e-39, np.float32)
    mixed = normal(1.0)
    mixed[256:] = normal(1e-39)[256:]
    yield "normal then subnormal block", mixed
    zeros_in_blocks = normal(1.0)
    zeros_in_blocks[32:64] = 0
    zeros_in_blocks[256 + 96:256 + 128] = 0
    yield "zero sub-blocks", zeros_in_blocks


def main():
    entries = []
    for name, values in rows():
        entry = {"name": name, "input": bits_hex(values)}
        entry.update({type_name: ggml_quantize(type_name, values).hex() for type_name in BLOCK})
        entries.append(entry)
    golden = {"ggml": f"libggml-base of llama-cpp-python {llama_cpp.__version__}", "rows": entries}
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
