#!/usr/bin/env python3
"""Writes the SentencePiece (GGUF `tokenizer.ggml.model = llama`) goldens the Swift tokenizer
tests compare against, using llama.cpp itself through `llama-cpp-python` (PyPI) and the `gguf`
package to read the metadata.

Reference: `llama_cpp.Llama(model_path=$GENRM_CACHE/models/gemma-3-270m-Q4_K_M.gguf,
vocab_only=True)` (Gemma 3 270M, fetched by scripts/fetch-gemma3.sh).
  encoding  `Llama.tokenize(text.encode(), add_bos=False, special=...)`: `special` true is
            parseSpecial (control tokens in the text become their ids), false leaves them text
  decoding  `llama_cpp.llama_detokenize(vocab, ids, ..., remove_special=False,
            unparse_special=...)` called directly: llama-cpp-python's own `detokenize` decodes
            token by token into a 32-byte buffer (Gemma has longer tokens) and drops a space
            after BOS, so it is not llama.cpp's decoding

Outputs (ASCII JSON, under Tests/TokenizersTests/Fixtures/golden/):
gemma3/llamacpp.json, no vocabulary dump (ids, digests, the strings below, and decodings of a few
hundred ids):
  metadata  what the GGUF and llama.cpp say: tokenizer model and pre, vocabulary size, bos, eos,
            unknown, add_bos_token, add_eos_token, add_space_prefix; llama.cpp's end-of-generation
            ids (`llama_vocab_is_eog`), and id ranges [first, last] of tokens llama.cpp treats as
            special (attribute control or unknown) and as user-defined-only
  cases     for every string of CASES (written for this project): its ids both ways, and the
            bytes (hex) llama.cpp decodes each id list to, with and without unparse_special,
            left out where they are the text's own UTF-8
  corpus    for every Fixtures/corpus/*.txt file (the shared multilingual corpus): count and
            FNV-1a 64 digest of its ids both ways (ids as 4-byte little-endian words)
  decode    llama.cpp's decoding (hex) of id lists: slices of the corpus ids, byte-token runs,
            the special and user-defined ids and the ids of CASES around them
  pieces    the FNV-1a 64 digest over every id in order of its single-token decoding (4-byte
            little-endian length, then the bytes), with and without unparse_special: every
            token's decoding checked without storing it

tiny-spm/llamacpp.json: TINY_TOKENS (a vocabulary written for this project: control, byte,
  scored normal, user-defined and unused tokens) written as a vocab-only GGUF with
  `gguf.GGUFWriter` (architecture llama, a zero embedding), once with add_space_prefix false and
  once without the key (llama.cpp's default, true); for each, llama.cpp's bos, eos, add_bos,
  end-of-generation ids, the ids of TINY_CASES both ways and the decodings of TINY_DECODINGS.
  No text may need a byte missing from it: llama.cpp throws there (std::out_of_range).

Usage: scripts/fetch-gemma3.sh && $GENRM_CACHE/venv/bin/python scripts/golden_spm_tokenizer.py
       (add --dump DIR to also write every corpus file's ids, for finding a difference). The venv
       of scripts/python-env.sh has llama-cpp-python; add `gguf` with
       `$GENRM_CACHE/venv/bin/python -m pip install gguf`.
"""
import ctypes
import json
import os
import pathlib
import random
import sys

import gguf
import llama_cpp

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests/TokenizersTests/Fixtures"
CACHE = pathlib.Path(os.environ.get("GENRM_CACHE", pathlib.Path.home() / ".cache/genrm"))
MODEL = CACHE / "models/gemma-3-270m-Q4_K_M.gguf"
OUT = FIXTURES / "golden/gemma3/llamacpp.json"
TINY_OUT = FIXTURES / "golden/tiny-spm/llamacpp.json"

# llama_token_attr bits (llama.h).
ATTR_UNKNOWN, ATTR_CONTROL, ATTR_USER_DEFINED = 1 << 0, 1 << 3, 1 << 4

CASES = [
    "",
    "Hello world",
    "Hello, world! How are you today?",
    " leading space",
    "   three leading spaces",
    "trailing spaces   ",
    "two  spaces  between  words",
    " " * 40 + "forty spaces, more than the longest space token",
    "\ttab\t\ttabs\t\t\t",
    "\n",
    "line one\nline two\n\nparagraph\n\n\n\nfour newlines",
    "windows\r\nline\r\nends\r\n",
    " \n \n\t \t\n  mixed whitespace \u00a0 no-break \u2003 em space \u3000 ideographic",
    "0123456789 1234567890123 3.14159 -42 1,000,000 2026-12-02 0x1F 1e-9",
    "Ünïcödé àçcéñts: naïve café, Straße, Ærøskøbing, Łódź, İstanbul",
    "e\u0301 (e + combining acute) vs \u00e9, \u1e9b\u0323, Hangul jamo \u1100\u1161\u11a8",
    "Привет, мир! Съешь же ещё этих мягких французских булок.",
    "Γειά σου Κόσμε· ξεσκεπάζω την ψυχοφθόρα βδελυγμία",
    "مرحبا بالعالم، كيف حالك؟ سلام دنیا",
    "שלום עולם, מה שלומך?",
    "नमस्ते दुनिया। হ্যালো ওয়ার্ল্ড। வணக்கம் உலகம்",
    "你好，世界！我们今天去公园散步吧。",
    "こんにちは、世界！カタカナとひらがなと漢字。",
    "안녕하세요 세계! 한국어 문장입니다.",
    "สวัสดีชาวโลก ສະບາຍດີ សួស្តី မင်္ဂလာပါ",
    "emoji: 😀 🦙 👍🏽 👨‍👩‍👧‍👦 🇩🇪 🏳️‍🌈 ❤️ ✨🎉",
    "rare characters for byte fallback: \U00020000 \U0002A6DF \ue000 \U000F0000 \U0010FFFD \u2e80",
    "control bytes \x00 \x01 \x07 \x1b[0m \x7f end",
    "the space marker itself: \u2581 \u2581\u2581word \u2581",
    "<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4<end_of_turn>\n",
    "<bos><start_of_turn>user\nHi<end_of_turn>",
    "<eos> <pad> <unk> <mask> [multimodal] <unused0> <unused6241>",
    "text</s>more <s>strike</s> and </s></s>",
    "<start_of_image> an image <end_of_image>",
    "<table><tr><td>cell</td></tr></table> <b>bold</b> <i><em>it</em></i> <h1>T</h1>",
    "<0x41> is not a byte token in text, <0xZZ> neither",
    "<start_of_turn",
    "<<start_of_turn>>",
    "<start_of_turn>\n\n\n<end_of_turn>  <end_of_turn>",
    "def f(x):\n    return x ** 2  # square\n\nprint(f(3))\n",
    "func greet(_ name: String) -> String {\n\treturn \"Hello, \\(name)!\"\n}\n",
    '{"key": [1, 2.5, true, null], "nested": {"a": "b"}}',
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "........................................!!!!!!!!!!!!!????????",
    "Mixed: English, русский, 中文, العربية, 😀, 123, \t, <end_of_turn>, </s>.",
]


# (text, token_type, score); ids in order. The same vocabulary as SentencePieceTests.tinyTokens.
TINY_TOKENS = (
    [("<unk>", 2, 0.0), ("<s>", 3, 0.0), ("</s>", 3, 0.0)]
    + [("<0x%02X>" % b, 6, 0.0) for b in range(256)]
    + [("\u2581", 1, -1.0), ("a", 1, -2.0), ("b", 1, -3.0), ("c", 1, -4.0), ("ab", 1, -6.0), ("bc", 1, -5.0),
       ("\u2581a", 1, -8.0), ("\u2581ab", 1, -7.0), ("aa", 1, -9.0), ("<tool>", 4, 0.0), ("wx", 4, 0.0),
       ("xyz", 4, 0.0), ("w", 1, -10.0), ("<end_of_turn>", 4, 0.0), ("<unused>", 5, 0.0)]
)

TINY_CASES = [
    "", "abc", " ab", "ab", "aaa", "aaaa", "\u00e9", "z", "wxyz", "a<tool>b", "<s>ab", "ab<s>ab", "<s><s>",
    "<end_of_turn>x", "\u2581a", "a  b", " ", "  ", "ab ", "<0x61>", "\n", "ab\u00e9c",
]

TINY_DECODINGS = [
    [266], [266, 266], [1, 266], [259, 260], [272], [273], [273, 266], [1], [0, 266], [3 + 0xC3, 3 + 0xA9],
    [3 + 0xE2], [259], [259, 259, 260], [268, 266], [2, 266, 1],
]


def fnv1a64(data, h=0xcbf29ce484222325):
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def ids_digest(ids):
    return "%016x" % fnv1a64(b"".join(i.to_bytes(4, "little") for i in ids))


def ranges(ids):
    """Sorted ids as [first, last] runs."""
    out = []
    for i in ids:
        if out and out[-1][1] == i - 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


class Reference:
    def __init__(self, path):
        self.path = path
        self.llama = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)
        self.vocab = self.llama._model.vocab
        self.size = llama_cpp.llama_vocab_n_tokens(self.vocab)
        self.bos = llama_cpp.llama_vocab_bos(self.vocab)

    def encode(self, text, special):
        ids = self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=special)
        with_bos = self.llama.tokenize(text.encode("utf-8"), add_bos=True, special=special)
        assert with_bos == [self.bos] + ids, f"add_bos is not BOS + ids for {text!r}"
        return ids

    def decode(self, ids, unparse_special):
        arr = (llama_cpp.llama_token * max(1, len(ids)))(*ids)
        size = 64 + 64 * len(ids)
        buf = ctypes.create_string_buffer(size)
        n = llama_cpp.llama_detokenize(self.vocab, arr, len(ids), buf, size, False, unparse_special)
        assert 0 <= n <= size, f"detokenize returned {n}"
        return buf.raw[:n]

    def attr(self, i):
        return llama_cpp.llama_vocab_get_attr(self.vocab, i)


def metadata(reader, ref):
    def scalar(key, default=None):
        field = reader.fields.get(key)
        if field is None:
            return default
        value = field.parts[field.data[0]]
        if field.types[0] == gguf.GGUFValueType.STRING:
            return bytes(value).decode("utf-8")
        return value.tolist()[0]

    special = [i for i in range(ref.size) if ref.attr(i) & (ATTR_CONTROL | ATTR_UNKNOWN)]
    user_defined = [i for i in range(ref.size)
                    if ref.attr(i) & ATTR_USER_DEFINED and not ref.attr(i) & (ATTR_CONTROL | ATTR_UNKNOWN)]
    meta = {
        "tokenizerModel": scalar("tokenizer.ggml.model"),
        "tokenizerPre": scalar("tokenizer.ggml.pre"),
        "vocabularySize": ref.size,
        "bos": scalar("tokenizer.ggml.bos_token_id"),
        "eos": scalar("tokenizer.ggml.eos_token_id"),
        "unknown": scalar("tokenizer.ggml.unknown_token_id"),
        "addBOS": bool(scalar("tokenizer.ggml.add_bos_token", True)),
        "addEOS": bool(scalar("tokenizer.ggml.add_eos_token", False)),
        "addSpacePrefix": bool(scalar("tokenizer.ggml.add_space_prefix", True)),
        "endOfGeneration": [i for i in range(ref.size) if llama_cpp.llama_vocab_is_eog(ref.vocab, i)],
        "specialRanges": ranges(special),
        "userDefinedRanges": ranges(user_defined),
    }
    assert meta["bos"] == ref.bos == llama_cpp.llama_vocab_bos(ref.vocab)
    assert meta["eos"] == llama_cpp.llama_vocab_eos(ref.vocab)
    assert meta["addBOS"] == llama_cpp.llama_vocab_get_add_bos(ref.vocab)
    assert meta["addEOS"] == llama_cpp.llama_vocab_get_add_eos(ref.vocab)
    return meta, special, user_defined


def write_tiny_gguf(path, add_space_prefix):
    import numpy as np
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_context_length(64)
    writer.add_embedding_length(8)
    writer.add_block_count(1)
    writer.add_feed_forward_length(8)
    writer.add_head_count(1)
    writer.add_head_count_kv(1)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(8)
    writer.add_tokenizer_model("llama")
    writer.add_token_list([text for text, _, _ in TINY_TOKENS])
    writer.add_token_types([kind for _, kind, _ in TINY_TOKENS])
    writer.add_token_scores([score for _, _, score in TINY_TOKENS])
    if add_space_prefix is not None:
        writer.add_add_space_prefix(add_space_prefix)
    writer.add_tensor("token_embd.weight", np.zeros((len(TINY_TOKENS), 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def tiny_goldens():
    import tempfile
    variants = []
    with tempfile.TemporaryDirectory() as tmp:
        for add_space_prefix in [False, None]:
            path = pathlib.Path(tmp) / f"tiny-{add_space_prefix}.gguf"
            write_tiny_gguf(path, add_space_prefix)
            ref = Reference(path)
            variants.append({
                "addSpacePrefixKey": add_space_prefix,
                "bos": ref.bos,
                "eos": llama_cpp.llama_vocab_eos(ref.vocab),
                "addBOS": llama_cpp.llama_vocab_get_add_bos(ref.vocab),
                "endOfGeneration": [i for i in range(ref.size) if llama_cpp.llama_vocab_is_eog(ref.vocab, i)],
                "cases": [{"text": text, "special": ref.encode(text, True), "plain": ref.encode(text, False)}
                          for text in TINY_CASES],
                "decode": [{"ids": ids, "decoded": ref.decode(ids, True).hex(),
                            "decodedSkippingSpecial": ref.decode(ids, False).hex()} for ids in TINY_DECODINGS],
            })
            del ref
    return {"tokens": [list(t) for t in TINY_TOKENS], "variants": variants}


def compact_json(value, depth=0):
    """JSON with one list element or object member per line down to depth 2, compact below."""
    if depth >= 2 or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=True, separators=(", ", ": "))
    pad = " " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {compact_json(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"
    items = [pad + compact_json(v, depth + 1) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * depth + "]"


def main():
    dump = pathlib.Path(sys.argv[sys.argv.index("--dump") + 1]) if "--dump" in sys.argv else None
    reader = gguf.GGUFReader(str(MODEL))
    ref = Reference(MODEL)
    meta, special, user_defined = metadata(reader, ref)
    rng = random.Random(11)

    cases = []
    for text in CASES:
        case = {"text": text}
        for key, flag in [("special", True), ("plain", False)]:
            ids = ref.encode(text, flag)
            case[key] = ids
            for suffix, unparse in [("Decoded", True), ("DecodedSkippingSpecial", False)]:
                decoded = ref.decode(ids, unparse)
                if decoded != text.encode("utf-8"):
                    case[key + suffix] = decoded.hex()
        cases.append(case)

    corpus = []
    corpus_ids = []
    for path in sorted((FIXTURES / "corpus").glob("*.txt")):
        # Bytes, not read_text: universal-newline reading would turn "\r\n" into "\n".
        text = path.read_bytes().decode("utf-8")
        entry = {"name": path.stem}
        for key, flag in [("special", True), ("plain", False)]:
            ids = ref.encode(text, flag)
            entry[key] = {"count": len(ids), "fnv1a64": ids_digest(ids)}
            if flag:
                corpus_ids.append(ids)
            if dump:
                dump.mkdir(parents=True, exist_ok=True)
                (dump / f"{path.stem}.{key}.ids").write_text(" ".join(map(str, ids)) + "\n")
        corpus.append(entry)

    byte_ids = [i for i in range(ref.size) if ref.attr(i) & (1 << 5)]
    lists = []
    for _ in range(80):
        ids = rng.choice(corpus_ids)
        start = rng.randrange(len(ids))
        lists.append(ids[start:start + rng.randint(1, 40)])
    for _ in range(40):
        lists.append([rng.choice(byte_ids) for _ in range(rng.randint(1, 10))])
    for _ in range(40):
        pool = special + user_defined + [i for case in cases for i in case["special"]]
        lists.append([rng.choice(pool) for _ in range(rng.randint(1, 8))])
    decode = [{"ids": ids, "decoded": ref.decode(ids, True).hex(),
               "decodedSkippingSpecial": ref.decode(ids, False).hex()} for ids in lists]

    pieces = {}
    for key, flag in [("decoded", True), ("decodedSkippingSpecial", False)]:
        h = 0xcbf29ce484222325
        for i in range(ref.size):
            piece = ref.decode([i], flag)
            h = fnv1a64(len(piece).to_bytes(4, "little") + piece, h)
        pieces[key] = "%016x" % h

    OUT.parent.mkdir(parents=True, exist_ok=True)
    golden = {"model": MODEL.name, "llamaCppPython": llama_cpp.__version__, "metadata": meta,
              "cases": cases, "corpus": corpus, "decode": decode, "pieces": pieces}
    OUT.write_text(compact_json(golden) + "\n")
    TINY_OUT.parent.mkdir(parents=True, exist_ok=True)
    TINY_OUT.write_text(compact_json(tiny_goldens()) + "\n")
    total = sum(len(c["special"]) + len(c["plain"]) for c in cases)
    print(f"{len(cases)} cases ({total} ids), {len(corpus)} corpus files, {len(decode)} decodings -> {OUT}; {TINY_OUT}")


if __name__ == "__main__":
    main()
