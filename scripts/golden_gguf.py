#!/usr/bin/env python3
"""Writes the layout of SmolLM2-135M-Instruct.Q4_1.gguf as read by Python `gguf.GGUFReader`, for
the Swift GGUF reader test to compare against.

Input:  $GENRM_CACHE/models/SmolLM2-135M-Instruct.Q4_1.gguf (default ~/.cache/genrm).
Output: Tests/FormatsTests/Fixtures/smollm2-layout.json with
  version, alignment, data_offset (absolute offset of the tensor data section),
  metadata: [{key, type, value?, count?}] in file order (`type` is the GGUF value type name,
            arrays as "ARRAY[<element type>]" with `count` elements; scalars and strings
            carry `value`; the first array element is given as `first`),
  tensors:  [{name, dims (ggml order, ne0 first), type (ggml type name), offset (absolute),
            bytes}] in file order.
"""
import json
import os
import pathlib

from gguf import GGUFReader, GGUFValueType

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/FormatsTests/Fixtures/smollm2-layout.json"
CACHE = pathlib.Path(os.environ.get("GENRM_CACHE", pathlib.Path.home() / ".cache/genrm"))
MODEL = CACHE / "models/SmolLM2-135M-Instruct.Q4_1.gguf"


def field_entry(key, field):
    kind = field.types[0]
    entry = {"key": key}
    if kind == GGUFValueType.ARRAY:
        entry["type"] = f"ARRAY[{field.types[1].name}]"
        entry["count"] = len(field.data)
        first = field.contents(0) if len(field.data) else None
        entry["first"] = first
    else:
        entry["type"] = kind.name
        value = field.contents()
        entry["value"] = value
    return entry


def main():
    reader = GGUFReader(MODEL)
    metadata = [field_entry(k, f) for k, f in reader.fields.items() if not k.startswith("GGUF.")]
    version = int(reader.fields["GGUF.version"].contents())
    tensors = [{"name": t.name, "dims": [int(d) for d in t.shape], "type": t.tensor_type.name,
                "offset": int(t.data_offset), "bytes": int(t.n_bytes)} for t in reader.tensors]
    layout = {"version": version, "alignment": reader.alignment, "data_offset": reader.data_offset,
              "file_size": MODEL.stat().st_size, "metadata": metadata, "tensors": tensors}
    OUT.write_text(json.dumps(layout, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
