#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora into fuzz/corpus/<target>/ from the repository's own
fixtures (regenerable: run it again after a fixture changes). GGUF seeds are written here with
the standard library (struct), in GGUF v3 as llama.cpp's gguf-py writes it: every metadata value
type, an array of strings, tensors of several ggml types at the default alignment."""
import json, os, shutil, struct, sys

root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
corpus = os.path.join(root, "fuzz", "corpus")

def target(name):
    path = os.path.join(corpus, name)
    os.makedirs(path, exist_ok=True)
    return path

def copy(source, name, into):
    shutil.copyfile(os.path.join(root, source), os.path.join(into, name))

# --- GGUF ---
def gguf_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b

def gguf_value(kind, value):
    fmt = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<B", 10: "<Q", 11: "<q", 12: "<d"}
    if kind == 8:
        return gguf_string(value)
    if kind == 9:
        element, items = value
        return struct.pack("<IQ", element, len(items)) + b"".join(gguf_value(element, item) for item in items)
    return struct.pack(fmt[kind], value)

def gguf_file(metadata, tensors, alignment=32):
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, kind, value in metadata:
        out += gguf_string(key) + struct.pack("<I", kind) + gguf_value(kind, value)
    offset, infos, data = 0, b"", b""
    for name, dims, ggml_type, payload in tensors:
        infos += gguf_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        infos += struct.pack("<IQ", ggml_type, offset)
        padded = payload + b"\0" * (-len(payload) % alignment)
        data += padded
        offset += len(padded)
    out += infos
    out += b"\0" * (-len(out) % alignment)
    return out + data

# Named *.gguf.bin: the repository ignores *.gguf (model files are never committed).
gguf = target("gguf")
every_type = [("general.architecture", 8, "llama"), ("llama.block_count", 4, 2), ("u8", 0, 7), ("i8", 1, -7),
              ("u16", 2, 700), ("i16", 3, -700), ("f32", 6, 0.5), ("flag", 7, 1), ("u64", 10, 1 << 40),
              ("i64", 11, -(1 << 40)), ("f64", 12, 2.5), ("tokenizer.ggml.tokens", 9, (8, ["<s>", "a", "b"])),
              ("nested", 9, (9, [(4, [1, 2]), (4, [3])]))]
f32 = lambda n: struct.pack("<%df" % n, *[i * 0.25 for i in range(n)])
with open(os.path.join(gguf, "every-type.gguf.bin"), "wb") as f:
    f.write(gguf_file(every_type, [("a", [4, 2], 0, f32(8)), ("b", [3], 0, f32(3))]))
# A Q8_0 block (d f16 + 32 int8) and a Q4_0 block (d f16 + 16 bytes), alignment 64.
q8 = struct.pack("<e", 0.5) + bytes(range(32))
q4 = struct.pack("<e", 0.25) + bytes(range(16))
with open(os.path.join(gguf, "quantized.gguf.bin"), "wb") as f:
    f.write(gguf_file([("general.alignment", 4, 64), ("general.name", 8, "tiny")],
                      [("q8", [32], 8, q8), ("q4", [32], 2, q4)], alignment=64))
with open(os.path.join(gguf, "empty.gguf.bin"), "wb") as f:
    f.write(gguf_file([], []))

# --- safetensors: 8-byte header length, JSON header (padded with spaces to 8 bytes, as the
# safetensors library writes it), data ---
def safetensors_file(tensors, metadata=None):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, payload in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data

st = target("safetensors")
bf16 = lambda n: b"".join(struct.pack("<f", i * 0.25)[2:] for i in range(n))
with open(os.path.join(st, "three-dtypes.safetensors.bin"), "wb") as f:
    f.write(safetensors_file([("w", "F32", [2, 3], f32(6)), ("h", "F16", [4], struct.pack("<4e", 1, 2, 3, 4)),
                              ("b", "BF16", [2, 2], bf16(4))], metadata={"format": "pt"}))
with open(os.path.join(st, "empty-tensor.safetensors.bin"), "wb") as f:
    f.write(safetensors_file([("nothing", "F32", [0, 4], b""), ("scalar", "I64", [], struct.pack("<q", 7))]))

# --- chat templates ---
jinja = target("jinja")
templates = os.path.join(root, "Tests/ChatTemplatesTests/Fixtures/templates")
for name in sorted(os.listdir(templates)):
    if name.endswith(".jinja"):
        copy(os.path.join(templates, name), name, jinja)

# --- request bodies ---
requests = target("json-request")
for name in ["one-response.json", "two-responses.json"]:
    copy(os.path.join("examples", name), name, requests)
prompts = os.path.join(root, "Tests/GenRMTests/Fixtures/prompts")
for name in sorted(os.listdir(prompts)):
    if name.endswith(".request.json"):
        copy(os.path.join("Tests/GenRMTests/Fixtures/prompts", name), name, requests)
with open(os.path.join(requests, "history-form.json"), "w") as f:
    json.dump({"history": [{"role": "user", "content": "Hi"}], "responses": ["Hello", "Hey"]}, f)

# --- model outputs ---
outputs = target("judgment")
for name in ["output-one-response.txt", "output-two-responses.txt"]:
    copy(os.path.join("examples", name), name, outputs)
with open(os.path.join(outputs, "boxed-ranking.txt"), "w") as f:
    f.write("</think>[The Begin of Analysis on Response 1]\nA1\n[The End of Analysis on Response 1]\n\n"
            "[The Begin of Analysis on Response 2]\nA2\n[The End of Analysis on Response 2]\n\n"
            "[The Begin of Individual Scores]\n\\boxed{3, 4}\n[The End of Individual Scores]\n\n"
            "[The Begin of Ranking Score]\n\\boxed{ 4 }\n[The End of Ranking Score]\n")

# --- results files: the first lines of the reference results ---
results = target("results")
with open(os.path.join(root, "Tests/EvalTests/Fixtures/judgebench-skywork-reference-results.jsonl")) as f:
    lines = f.readlines()
for count in [1, 3, 8]:
    with open(os.path.join(results, "first-%d.jsonl" % count), "w") as out:
        out.writelines(lines[:count])
print("seeds written under", os.path.relpath(corpus, root), file=sys.stderr)
