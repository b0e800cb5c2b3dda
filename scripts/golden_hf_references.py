#!/usr/bin/env python3
"""Regenerates Tests/EngineTests/Fixtures/hf-references/*.json: independent reference logits for
the tiny Hugging Face checkpoints that scripts/make_hf_fixtures.py writes (llama, qwen2, decilm).

usage: golden_hf_references.py [--threads N] [--keep DIR] [--llama-cpp-sdist FILE]

  --keep DIR   leave the fixture directories, the converter's inputs and the GGUFs in DIR
               (default: a temporary directory, removed at the end)
  --llama-cpp-sdist FILE   llama-cpp-python's source distribution, for the converter (default
               $GENRM_CACHE/refs/llama_cpp_python-0.3.36.tar.gz, sha256 832db069...)

References, one file per checkpoint and reference:
  llama.transformers.json, qwen2.transformers.json
      HF transformers on the directory: AutoModelForCausalLM.from_pretrained(dir, dtype=float32,
      attn_implementation="eager") on the CPU (qwen2's F16 weights are upcast to F32).
  llama.llamacpp.json, qwen2.llamacpp.json, decilm-llamacpp.llamacpp.json
      llama.cpp's own converter (vendor/llama.cpp/convert_hf_to_gguf.py of the llama-cpp-python
      source distribution, with its vendored gguf-py) turns a copy of the directory into a GGUF
      with --outtype f32 (every tensor F32: the stored F32/F16/BF16 values exactly, so llama.cpp
      computes in F32), then llama.cpp (llama-cpp-python, logits_all=True, its default F16 KV
      cache, as genrm's) evaluates it. Its F16 attention operands (the cached keys and values,
      the query and softmax weights rounded for the F16 products) are the roundings the two
      kinds of reference do not share: they put llama.cpp 0.013 (qwen2) and 0.018 (llama) from
      transformers on these logits, which run to about +-60 (2e-4 and 4e-4 of the largest;
      printed; hf_numpy_forward.py with them matches llama.cpp to 1.3e-3, 3e-5 of it, without
      them transformers to 2e-5, 4e-7 of it). transformers cannot run DeciLM (model_type
      nemotron-nas needs the model's remote code), so llama.cpp is its only reference, and llama.cpp cannot hold two of the fixture's DeciLM
      layer kinds (linear FFN; FFN no-op after an attention): its reference is on decilm-llamacpp,
      which scripts/make_hf_llamacpp_variant.py makes of the fixture (those two layers get
      ordinary FFNs copied from layers 0 and 1). The converter wants a tokenizer in the directory:
      the copy it reads gets a 128-piece one written here (a SentencePiece model for llama and
      qwen2, a byte-fallback BPE tokenizer.json for DeciLM); no text is tokenized, the token ids
      are fed as they are.
  decilm.numpy.json
      The fixture's own DeciLM, every layer kind (linear FFN and an FFN-less attention layer
      included, which neither transformers nor llama.cpp runs): scripts/hf_numpy_forward.py, a
      float64 numpy forward written from the modelling code, with the attention operands rounded
      to F16 as llama.cpp and genrm round them. It is first held to every other reference here
      (float64 against transformers, F16 attention against llama.cpp, DeciLM layer kinds on
      decilm-llamacpp); those max |diff| are asserted and recorded in the file.
  The *.llamacpp.json files also hold the converted GGUF's sha256 and, per tensor, its type,
  dimensions and FNV-1a 64 (`gguf_tensors`): the converter needs torch, so the tests cannot run
  it, but they can hold genrm's own Swift rendering of it (HuggingFace/LlamaCppConversion.swift)
  to it tensor for tensor and then run genrm on that GGUF. The converted GGUFs themselves are
  left in $GENRM_CACHE/hf-references/<checkpoint>-<first 12 hex digits of the sha256>.f32.gguf
  (never committed; named by content, so worktrees whose goldens differ share the cache), where
  the test also runs genrm on them when they are there.

Each file: for each of three fixed token-id sequences (8, 16 and 72 ids; the last runs past the
llama3 rope scaling's original_max_position_embeddings of 64), a greedy continuation of 16
tokens, the two best logits at every greedy step, and full next-token logits (all 128) at
`logit_positions` (indices into prompt + generated: the row at p follows token p). Logits are
float32 written in their shortest round-tripping form. `fixture` holds what the goldens were
made from: the FNV-1a 64 of config.json and of every tensor's bytes (the hash of
make_hf_fixtures.py's expected.json) and, for information, the two scripts' sha256; the Swift test
(HuggingFace/HFReferenceLogitsTests.swift) regenerates the checkpoints with the same scripts and
fails with "stale golden" when a hash differs.

The logits are large enough for the greedy check to count: make_hf_fixtures.py scales the final
norm (OUTPUT_NORM_SCALE, 32), which multiplies every logit by 32, so that most greedy steps are
decided by more than 0.5, where genrm may not part from the reference (the near-tie rule). Per
file the script prints how many (now 43 of 48 for llama and decilm-llamacpp, 48 for qwen2, 40
for decilm); the test requires three quarters, and genrm's token at every one of them.

Environment (only to regenerate these goldens; neither CI nor the tests need it), from PyPI:
  python3 -m venv ~/.cache/genrm/venv-refs
  ~/.cache/genrm/venv-refs/bin/pip install torch transformers==4.57.6 protobuf numpy \
      safetensors ml_dtypes sentencepiece tokenizers pyyaml tqdm requests llama-cpp-python==0.3.36
  ~/.cache/genrm/venv-refs/bin/pip download --no-deps --no-binary llama-cpp-python \
      llama-cpp-python==0.3.36 -d ~/.cache/genrm/refs
transformers 4.57.6 is what the converter pins (vendor/llama.cpp/requirements); 5.x fails in
AutoTokenizer on a nemotron-nas directory (an unknown model type's rope_scaling). Any CPU torch
wheel does (the goldens were made with torch 2.13.0+cpu; PyPI's default wheel also pulls CUDA
libraries, unused here). Each file records the versions that made it.

Regenerate (after any change to make_hf_fixtures.py, make_hf_llamacpp_variant.py or
hf_numpy_forward.py; about a minute on two cores), from the repository root, then run the test:
  nice -n 19 ~/.cache/genrm/venv-refs/bin/python scripts/golden_hf_references.py
  GENRM_PYTHON=~/.cache/genrm/venv/bin/python swift test -c release --filter HFReference
The goldens of this revision were made by exactly the first command (the GGUFs' sha256 in the
*.llamacpp.json files are what it writes: the converter is deterministic).
"""
import argparse
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

import numpy as np

import hf_numpy_forward

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURE_SCRIPT = ROOT / "scripts" / "make_hf_fixtures.py"
VARIANT_SCRIPT = ROOT / "scripts" / "make_hf_llamacpp_variant.py"
# The fixture's decilm holds two layer kinds llama.cpp cannot (see VARIANT_SCRIPT): its reference
# is on decilm-llamacpp, the same checkpoint with those two FFNs made ordinary.
CHECKPOINTS = ("llama", "qwen2", "decilm-llamacpp")
OUT = ROOT / "Tests" / "EngineTests" / "Fixtures" / "hf-references"
STEPS = 16
VOCAB = 128
# genrm may part from a reference's greedy token only where its two best logits are within this.
NEAR_TIE = 0.5


def sequences():
    """Three fixed prompts of ids 3..127 (0-2 are the tokenizer's <unk>, <s>, </s>)."""
    rng = np.random.default_rng(13)
    return [("short", rng.integers(3, VOCAB, 8)), ("medium", rng.integers(3, VOCAB, 16)),
            ("long", rng.integers(3, VOCAB, 72))]


def stored_positions(prompt_length):
    """Every position for prompts of at most 16 ids; else from the last prompt position on."""
    first = 0 if prompt_length <= 16 else prompt_length - 1
    return list(range(first, prompt_length + STEPS - 1))


def fnv1a64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def float32(value) -> float:
    """The shortest decimal that reads back as the same float32."""
    return float(np.format_float_positional(np.float32(value), unique=True, trim="-"))


def top2(logits):
    order = np.argsort(-logits, kind="stable")[:2]
    return [[int(i), float32(logits[i])] for i in order]


def greedy(next_logits, prompt):
    """Greedy decoding: `next_logits(ids)` returns the next-token logits of every position of
    ids (rows); the rows kept are those of `stored_positions`, from the last call, which sees the
    whole sequence less its last generated token."""
    ids = list(prompt)
    tops = []
    rows = None
    for _ in range(STEPS):
        rows = next_logits(ids)
        last = np.asarray(rows[len(ids) - 1], dtype=np.float32)
        tops.append(top2(last))
        ids.append(int(np.argmax(last)))
    generated = ids[len(prompt):]
    positions = stored_positions(len(prompt))
    return generated, tops, positions, [[float32(v) for v in rows[p]] for p in positions]


# ---------------------------------------------------------------------------------------------
# The fixtures and their digest

def make_fixtures(directory, python):
    """The fixture checkpoints and the llama.cpp-shaped DeciLM variant, and the digest of each."""
    subprocess.run([python, str(FIXTURE_SCRIPT), str(directory)], check=True)
    subprocess.run([python, str(VARIANT_SCRIPT), str(directory)], check=True)
    return {name: digest(directory / name) for name in CHECKPOINTS}


def digest(directory):
    """FNV-1a 64 of config.json and of every tensor's bytes (make_hf_fixtures.py's hash)."""
    import ml_dtypes  # noqa: F401 (gives numpy the bfloat16 that safetensors reads BF16 into)
    from safetensors.numpy import load_file

    tensors = {}
    for file in sorted(directory.glob("*.safetensors")):
        tensors.update({n: fnv1a64(np.ascontiguousarray(t).tobytes()) for n, t in load_file(str(file)).items()})
    return {
        "scripts_sha256": {s.name: hashlib.sha256(s.read_bytes()).hexdigest() for s in (FIXTURE_SCRIPT, VARIANT_SCRIPT)},
        "config_fnv1a64": fnv1a64((directory / "config.json").read_bytes()),
        "tensors_fnv1a64": dict(sorted(tensors.items())),
    }


# ---------------------------------------------------------------------------------------------
# A 128-piece tokenizer the converter accepts (it is never used to tokenize text)

def pieces():
    letters = "abcdefghijklmnopqrstuvwxyz"
    normal = ["\u2581"] + list(letters) + list(letters.upper()) + list("0123456789") + [".", ",", "!", "?"]
    normal += ["\u2581" + c for c in letters]
    bigrams = ["th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "ti", "es", "or", "te", "of",
               "ed", "is", "it", "al", "ar", "st", "to", "nt", "ng", "se", "ha", "as", "ou", "io", "le", "ve", "co"]
    normal += bigrams
    assert len(normal) == VOCAB - 3, len(normal)
    return ["<unk>", "<s>", "</s>"] + normal


def write_sentencepiece(directory):
    from sentencepiece import sentencepiece_model_pb2 as spm

    model = spm.ModelProto()
    model.trainer_spec.model_type = spm.TrainerSpec.UNIGRAM
    model.trainer_spec.vocab_size = VOCAB
    model.trainer_spec.unk_id, model.trainer_spec.bos_id, model.trainer_spec.eos_id = 0, 1, 2
    model.trainer_spec.pad_id = -1
    model.normalizer_spec.name = "identity"
    model.normalizer_spec.add_dummy_prefix = True
    model.normalizer_spec.escape_whitespaces = True
    for i, text in enumerate(pieces()):
        piece = model.pieces.add()
        piece.piece = text
        piece.score = 0.0 if i < 3 else -float(i)
        piece.type = {0: piece.UNKNOWN, 1: piece.CONTROL, 2: piece.CONTROL}.get(i, piece.NORMAL)
    (directory / "tokenizer.model").write_bytes(model.SerializeToString())


def write_tokenizer_json(directory):
    from tokenizers import Tokenizer, decoders, models, normalizers
    from transformers import PreTrainedTokenizerFast

    vocab = {p: i for i, p in enumerate(pieces())}
    merges = [(p[0], p[1:]) for p in pieces()[3:] if len(p) > 1]
    assert all(a in vocab and b in vocab for a, b in merges)
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tokenizer.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    tokenizer.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                           decoders.Strip(" ", 1, 0)])
    wrapped = PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", unk_token="<unk>")
    wrapped.save_pretrained(str(directory))


# ---------------------------------------------------------------------------------------------
# The references

def transformers_reference(directory, prompt):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(directory), dtype=torch.float32, attn_implementation="eager")
    model.eval()

    def next_logits(ids):
        with torch.no_grad():
            return model(torch.tensor([ids])).logits[0].float().numpy()

    return greedy(next_logits, prompt)


def convert(directory, gguf, source):
    converter = source / "vendor" / "llama.cpp" / "convert_hf_to_gguf.py"
    subprocess.run([sys.executable, str(converter), str(directory), "--outtype", "f32", "--outfile", str(gguf)],
                   check=True, stdout=subprocess.DEVNULL)


def gguf_tensors(gguf, source):
    """Per tensor of the converted GGUF: ggml type number, dimensions (ggml order), the FNV-1a 64
    of its data and, for the tiny ones, the values, for the test to hold genrm's own rendering of
    the converter (LlamaCppConversion) to it."""
    sys.path.insert(0, str(source / "vendor" / "llama.cpp" / "gguf-py"))
    from gguf import GGUFReader

    def entry(t):
        data = np.ascontiguousarray(t.data)
        record = {"type": int(t.tensor_type), "dims": [int(d) for d in t.shape], "fnv1a64": fnv1a64(data.tobytes())}
        if data.size <= 32:  # rope_freqs: the values too, which the converter computes in float32
            record["values"] = [float32(v) for v in data.reshape(-1)]
        return record

    return {t.name: entry(t) for t in sorted(GGUFReader(str(gguf)).tensors, key=lambda t: t.name)}


def llamacpp_reference(gguf, prompt, threads):
    import llama_cpp

    llm = llama_cpp.Llama(model_path=str(gguf), n_ctx=256, n_batch=256, n_threads=threads, logits_all=True,
                          seed=0, verbose=False)

    def next_logits(ids):
        # Fresh state each call: every row comes from one batched evaluation of `ids`.
        llm.reset()
        llm.eval(ids)
        return np.array(llm.scores[:len(ids)], dtype=np.float32)

    return greedy(next_logits, prompt)


def numpy_reference(directory, prompt):
    return greedy(lambda ids: hf_numpy_forward.forward(directory, ids, f16_attention=True), prompt)


def largest_logit(data):
    return max(float(np.max(np.abs(np.array(s["logits"])))) for s in data["sequences"])


def numpy_validation(fixtures, references):
    """The numpy forward against transformers (float64, no rounding) and llama.cpp (with its F16
    attention operands) wherever they run: max |diff| per pair, each asserted small against the
    largest logit (3e-5 and 4e-7 of it measured)."""
    checks = {}
    for (checkpoint, kind), data in references.items():
        f16 = kind == "llamacpp"
        worst = 0.0
        for s in data["sequences"]:
            rows = hf_numpy_forward.forward(fixtures / checkpoint, s["prompt_ids"] + s["generated_ids"][:-1], f16)
            worst = max(worst, float(np.max(np.abs(rows[s["logit_positions"]] - np.array(s["logits"])))))
        checks[f"{checkpoint}.{kind}" + (" (F16 attention)" if f16 else " (float64)")] = float(f"{worst:.3g}")
        assert worst < (1e-4 if f16 else 1e-5) * largest_logit(data), (checkpoint, kind, worst, largest_logit(data))
    return checks


def versions(kind):
    if kind == "numpy":
        return (f"numpy {np.__version__} float64 forward (scripts/hf_numpy_forward.py) with F16 attention operands "
                "(cached K and V, the query, the softmax weights) as llama.cpp and genrm round them")
    if kind == "transformers":
        import torch
        import transformers
        return f"transformers {transformers.__version__}, torch {torch.__version__}, CPU, float32, eager attention"
    import llama_cpp
    return (f"llama-cpp-python {llama_cpp.__version__} (F16 KV cache, its default) on its sdist's "
            "convert_hf_to_gguf.py --outtype f32")


def record(checkpoint, kind, digest, results, extra):
    return {
        "generator": "scripts/golden_hf_references.py",
        "checkpoint": checkpoint,
        "reference": versions(kind),
        "fixture": digest,
        **extra,
        "sequences": [
            {"name": name, "prompt_ids": [int(i) for i in prompt], "generated_ids": generated, "top2": tops,
             "logit_positions": positions, "logits": rows}
            for name, prompt, (generated, tops, positions, rows) in results
        ],
    }


def compact(value, indent=0):
    """JSON with every list of at most a line's worth (a logit row, the top-2 list) on one line:
    readable, diffable and small enough to commit."""
    pad = " " * indent
    line = json.dumps(value, separators=(",", ":"))
    if isinstance(value, dict):
        items = [f"{pad} {json.dumps(k)}: {compact(v, indent + 1).lstrip()}" for k, v in value.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and ("{" in line or len(line) > 2000):
        return pad + "[\n" + ",\n".join(compact(v, indent + 1) for v in value) + "\n" + pad + "]"
    return pad + line


def max_diff(a, b):
    worst = 0.0
    for x, y in zip(a["sequences"], b["sequences"]):
        assert x["logit_positions"] == y["logit_positions"]
        worst = max(worst, float(np.max(np.abs(np.array(x["logits"]) - np.array(y["logits"])))))
    return worst


def main():
    cache = pathlib.Path(os.environ.get("GENRM_CACHE", os.path.expanduser("~/.cache/genrm")))
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep")
    parser.add_argument("--llama-cpp-sdist", default=str(cache / "refs" / "llama_cpp_python-0.3.36.tar.gz"))
    args = parser.parse_args()
    assert sys.byteorder == "little", "the fixture hashes assume a little-endian machine"

    work = pathlib.Path(args.keep) if args.keep else pathlib.Path(tempfile.mkdtemp(prefix="genrm-hf-references-"))
    work.mkdir(parents=True, exist_ok=True)
    with tarfile.open(args.llama_cpp_sdist) as sdist:
        sdist.extractall(work / "sdist", filter="data")
    source = next((work / "sdist").iterdir())
    fixtures = work / "fixtures"
    digests = make_fixtures(fixtures, sys.executable)
    prompts = sequences()
    OUT.mkdir(parents=True, exist_ok=True)

    references = {}
    for checkpoint in ("llama", "qwen2"):
        results = [(name, prompt, transformers_reference(fixtures / checkpoint, prompt)) for name, prompt in prompts]
        references[checkpoint, "transformers"] = record(checkpoint, "transformers", digests[checkpoint], results, {})

    ggufs = cache / "hf-references"
    ggufs.mkdir(parents=True, exist_ok=True)
    for checkpoint in CHECKPOINTS:
        # The config and weights only: the converter's GGUF must not depend on whatever
        # tokenizer the fixture script writes (it reads the one written here).
        copy = work / "converter-input" / checkpoint
        copy.mkdir(parents=True, exist_ok=True)
        for file in (fixtures / checkpoint).iterdir():
            if file.name == "config.json" or file.name.startswith("model"):
                shutil.copyfile(file, copy / file.name)
        write_tokenizer_json(copy) if checkpoint.startswith("decilm") else write_sentencepiece(copy)
        gguf = work / f"{checkpoint}.f32.gguf"
        convert(copy, gguf, source)
        sha256 = hashlib.sha256(gguf.read_bytes()).hexdigest()
        # Named by content: worktrees sharing the cache each find the GGUF their goldens name.
        shutil.copyfile(gguf, ggufs / f"{checkpoint}-{sha256[:12]}.f32.gguf")
        results = [(name, prompt, llamacpp_reference(gguf, prompt, args.threads)) for name, prompt in prompts]
        extra = {"gguf_sha256": sha256, "gguf_tensors": gguf_tensors(gguf, source)}
        references[checkpoint, "llamacpp"] = record(checkpoint, "llamacpp", digests[checkpoint], results, extra)

    for checkpoint in ("llama", "qwen2"):
        hf, cpp = references[checkpoint, "transformers"], references[checkpoint, "llamacpp"]
        cpp["max_abs_diff_vs_transformers"] = float(f"{max_diff(hf, cpp):.3g}")
        same = sum(x["generated_ids"] == y["generated_ids"] for x, y in zip(hf["sequences"], cpp["sequences"]))
        print(f"{checkpoint}: llama.cpp vs transformers max |diff| {cpp['max_abs_diff_vs_transformers']:.3g}, "
              f"greedy continuations identical in {same}/{len(prompts)}")

    # DeciLM with every layer kind: only the numpy forward runs it, once held to the others.
    validation = numpy_validation(fixtures, references)
    for pair, worst in validation.items():
        print(f"numpy forward vs {pair}: max |diff| {worst:.3g}")
    results = [(name, prompt, numpy_reference(fixtures / "decilm", prompt)) for name, prompt in prompts]
    references["decilm", "numpy"] = record("decilm", "numpy", digest(fixtures / "decilm"), results,
                                           {"numpy_forward_max_abs_diff": validation})

    for (checkpoint, kind), data in references.items():
        path = OUT / f"{checkpoint}.{kind}.json"
        path.write_text(compact(data) + "\n")
        gaps = [t[0][1] - t[1][1] for s in data["sequences"] for t in s["top2"]]
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes, largest |logit| {largest_logit(data):.3g}, "
              f"top-2 gaps min {min(gaps):.3g} median {np.median(gaps):.3g}, "
              f"{sum(g > NEAR_TIE for g in gaps)}/{len(gaps)} steps decided by more than {NEAR_TIE}")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
