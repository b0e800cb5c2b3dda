#!/usr/bin/env python3
"""Writes tiny random Hugging Face checkpoints for genrm's tests: config.json plus safetensors
weights saved by the `safetensors` library from numpy arrays (BF16 through `ml_dtypes`).

usage: make_hf_fixtures.py OUT_DIR

OUT_DIR/llama/   LlamaForCausalLM: F32, one model.safetensors, llama3 rope scaling, untied output,
                 a generation_config.json (sampling defaults genrm reports and does not apply)
OUT_DIR/qwen2/   Qwen2ForCausalLM: F16, q/k/v biases, tied embeddings (no lm_head.weight)
OUT_DIR/decilm/  DeciLMForCausalLM (model_type nemotron-nas): BF16, every layer kind (attention
                 with two different n_heads_in_group, no-op and linear attention, no-op and linear
                 FFN, three ffn_mult widths), three shards listed by model.safetensors.index.json
Each directory also gets a tiny byte-level BPE tokenizer of exactly the model's 128 ids
(tokenizer.json: the 96 printable-ASCII, space and newline byte symbols, a few English merges,
the family's special tokens) and a tokenizer_config.json with a chat template of the family's
format (Llama 3 headers for llama and decilm, ChatML for qwen2), so that every genrm command
runs end to end on a directory. They are written after the weights and draw no random numbers:
the weights are the same with or without them.

OUT_DIR/expected.json  per checkpoint: the parameter count (sum of element counts) and, per
                 tensor, its file, dtype, shape, the FNV-1a 64 hash of the bytes numpy holds for
                 it and its first values, for the tests to check the reader bit for bit.

Tensor names and shapes are transformers' for each architecture; the tests check genrm's own
expectation of them against these files. Deterministic (fixed seed).

Weights are standard normal times 0.05, norm weights 1 + that, but for the final norm
(`model.norm.weight`) of the three checkpoints, which is OUTPUT_NORM_SCALE (32) times that: it
multiplies every logit by 32 and changes nothing upstream (every activation before the last norm
is as small as with 1), so the logits run to about +-60 where they ran to +-2. At +-2 the two best
logits of a greedy step were mostly under 0.5 apart, where genrm may part from a reference (the
near-tie rule), and the greedy check said little; at 32 most greedy steps of every checkpoint are
decided by more than 0.5 (scripts/golden_hf_references.py prints how many). In F16 and BF16 the
norm weights are still stored as the rounded values of 32 * (1 + 0.05 * noise).

Any change to what this script writes makes Tests/EngineTests/Fixtures/hf-references stale (the
test says so): regenerate them with scripts/golden_hf_references.py, whose header gives the command.
"""
import json
import os
import sys

import ml_dtypes
import numpy as np
from safetensors.numpy import save_file

SAFETENSORS_DTYPE = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(ml_dtypes.bfloat16): "BF16"}
TORCH_DTYPE = {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}


def fnv1a64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def ffn_width(ffn_mult: float, hidden: int) -> int:
    """transformers' DeciLM _ffn_mult_to_intermediate_size."""
    width = int(2 * ffn_mult * hidden / 3)
    return width if width % 256 == 0 else width + 256 - width % 256


class Checkpoint:
    def __init__(self, dtype, seed):
        self.dtype = np.dtype(dtype)
        self.rng = np.random.default_rng(seed)
        self.tensors = {}

    def matrix(self, name, rows, cols):
        self.tensors[name] = (self.rng.standard_normal((rows, cols)) * 0.05).astype(np.float32).astype(self.dtype)

    def vector(self, name, count, around=0.0, scale=1.0):
        values = scale * (around + self.rng.standard_normal(count) * 0.05)
        self.tensors[name] = values.astype(np.float32).astype(self.dtype)

    def attention(self, prefix, hidden, heads, kv_heads, head_dim, bias=False):
        self.vector(prefix + "input_layernorm.weight", hidden, around=1.0)
        self.matrix(prefix + "self_attn.q_proj.weight", heads * head_dim, hidden)
        self.matrix(prefix + "self_attn.k_proj.weight", kv_heads * head_dim, hidden)
        self.matrix(prefix + "self_attn.v_proj.weight", kv_heads * head_dim, hidden)
        self.matrix(prefix + "self_attn.o_proj.weight", hidden, heads * head_dim)
        if bias:
            self.vector(prefix + "self_attn.q_proj.bias", heads * head_dim)
            self.vector(prefix + "self_attn.k_proj.bias", kv_heads * head_dim)
            self.vector(prefix + "self_attn.v_proj.bias", kv_heads * head_dim)

    def mlp(self, prefix, hidden, width):
        self.vector(prefix + "post_attention_layernorm.weight", hidden, around=1.0)
        self.matrix(prefix + "mlp.gate_proj.weight", width, hidden)
        self.matrix(prefix + "mlp.up_proj.weight", width, hidden)
        self.matrix(prefix + "mlp.down_proj.weight", hidden, width)

    def ends(self, hidden, vocab, tied, output_scale=1.0):
        self.matrix("model.embed_tokens.weight", vocab, hidden)
        self.vector("model.norm.weight", hidden, around=1.0, scale=output_scale)
        if not tied:
            self.matrix("lm_head.weight", vocab, hidden)

    def write(self, directory, config, shards=None, describe=True):
        """Saves config.json and the weights: one model.safetensors, or `shards` (lists of
        tensor names) as model-0000i-of-0000n.safetensors with an index. Returns what
        expected.json says of them (None without `describe`: hashing is slow for large weights)."""
        os.makedirs(directory, exist_ok=True)
        config = dict(config, torch_dtype=TORCH_DTYPE[SAFETENSORS_DTYPE[self.dtype]])
        with open(os.path.join(directory, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
        groups = shards or [list(self.tensors)]
        assert sorted(n for g in groups for n in g) == sorted(self.tensors), "every tensor in exactly one shard"
        files = {}
        for i, names in enumerate(groups):
            file = "model.safetensors" if shards is None else f"model-{i + 1:05d}-of-{len(groups):05d}.safetensors"
            save_file({n: self.tensors[n] for n in names}, os.path.join(directory, file), metadata={"format": "pt"})
            files.update({n: file for n in names})
        if shards is not None:
            total = sum(t.nbytes for t in self.tensors.values())
            with open(os.path.join(directory, "model.safetensors.index.json"), "w") as f:
                json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(files.items()))}, f, indent=2)
        if not describe:
            return None
        return {
            "parameters": int(sum(t.size for t in self.tensors.values())),
            "tensors": {
                name: {
                    "file": files[name],
                    "dtype": SAFETENSORS_DTYPE[t.dtype],
                    "shape": list(t.shape),
                    "fnv1a64": fnv1a64(np.ascontiguousarray(t).tobytes()),
                    "first": [float(v) for v in t.reshape(-1)[:4].astype(np.float64)],
                }
                for name, t in self.tensors.items()
            },
        }


# The final norm's scale: logits 32 times those of a final norm around 1 (see the header).
OUTPUT_NORM_SCALE = 32.0


LLAMA3_SCALING = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                  "original_max_position_embeddings": 64}


# As transformers saves it: its bookkeeping fields, then the defaults.
LLAMA_GENERATION = {"_from_model_config": False, "bos_token_id": 1, "do_sample": True, "eos_token_id": [2, 3],
                    "temperature": 0.6, "top_p": 0.95, "transformers_version": "4.48.3"}


def llama(out):
    hidden, heads, kv_heads, width, vocab, layers = 64, 4, 2, 160, 128, 2
    c = Checkpoint(np.float32, seed=1)
    c.ends(hidden, vocab, tied=False, output_scale=OUTPUT_NORM_SCALE)
    for i in range(layers):
        c.attention(f"model.layers.{i}.", hidden, heads, kv_heads, hidden // heads)
        c.mlp(f"model.layers.{i}.", hidden, width)
    config = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": hidden,
        "intermediate_size": width, "num_hidden_layers": layers, "num_attention_heads": heads,
        "num_key_value_heads": kv_heads, "vocab_size": vocab, "max_position_embeddings": 256,
        "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "rope_scaling": LLAMA3_SCALING, "hidden_act": "silu",
        "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": False,
        "bos_token_id": 1, "eos_token_id": 2,
    }
    expected = c.write(os.path.join(out, "llama"), config)
    with open(os.path.join(out, "llama", "generation_config.json"), "w") as f:
        json.dump(LLAMA_GENERATION, f, indent=2)
    return expected


def qwen2(out):
    hidden, heads, kv_heads, width, vocab, layers = 64, 4, 1, 128, 128, 2
    c = Checkpoint(np.float16, seed=2)
    c.ends(hidden, vocab, tied=True, output_scale=OUTPUT_NORM_SCALE)
    for i in range(layers):
        c.attention(f"model.layers.{i}.", hidden, heads, kv_heads, hidden // heads, bias=True)
        c.mlp(f"model.layers.{i}.", hidden, width)
    config = {
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": hidden,
        "intermediate_size": width, "num_hidden_layers": layers, "num_attention_heads": heads,
        "num_key_value_heads": kv_heads, "vocab_size": vocab, "max_position_embeddings": 512,
        "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "hidden_act": "silu", "tie_word_embeddings": True,
        "use_sliding_window": False, "sliding_window": 512, "max_window_layers": 2,
    }
    return c.write(os.path.join(out, "qwen2"), config)


def attention_block(n_heads_in_group=None, no_op=False, linear=False):
    return {"n_heads_in_group": n_heads_in_group, "no_op": no_op, "replace_with_linear": linear,
            "num_sink_tokens": None, "sparsify": None, "unshifted_sink": False,
            "use_prefill_window_in_sink_attention": False, "window_length": None}


def ffn_block(ffn_mult=None, no_op=False, linear=False):
    return {"ffn_mult": ffn_mult, "no_op": no_op, "replace_with_linear": linear, "sparsify": None}


# Every DeciLM layer kind: (attention, ffn). Widths at hidden 64: ffn_mult 1.0 -> 256,
# 7.0 -> 512, 13.0 -> 768 (each rounded up to a multiple of 256).
DECILM_BLOCKS = [
    (attention_block(n_heads_in_group=2), ffn_block(ffn_mult=1.0)),
    (attention_block(n_heads_in_group=4), ffn_block(ffn_mult=7.0)),
    (attention_block(no_op=True), ffn_block(ffn_mult=13.0)),
    (attention_block(linear=True), ffn_block(no_op=True)),
    (attention_block(n_heads_in_group=2), ffn_block(linear=True)),
    (attention_block(no_op=True), ffn_block(no_op=True)),
]


def decilm(out):
    hidden, heads, vocab = 64, 4, 128
    c = Checkpoint(ml_dtypes.bfloat16, seed=3)
    c.ends(hidden, vocab, tied=False, output_scale=OUTPUT_NORM_SCALE)
    for i, (attention, ffn) in enumerate(DECILM_BLOCKS):
        prefix = f"model.layers.{i}."
        if attention["replace_with_linear"]:
            c.vector(prefix + "input_layernorm.weight", hidden, around=1.0)
            c.matrix(prefix + "self_attn.linear_attn.weight", hidden, hidden)
        elif not attention["no_op"]:
            c.attention(prefix, hidden, heads, heads // attention["n_heads_in_group"], hidden // heads)
        if ffn["replace_with_linear"]:
            c.vector(prefix + "post_attention_layernorm.weight", hidden, around=1.0)
            c.matrix(prefix + "mlp.linear_mlp.weight", hidden, hidden)
        elif not ffn["no_op"]:
            c.mlp(prefix, hidden, ffn_width(ffn["ffn_mult"], hidden))
    config = {
        "architectures": ["DeciLMForCausalLM"], "model_type": "nemotron-nas", "hidden_size": hidden,
        "intermediate_size": None, "num_hidden_layers": len(DECILM_BLOCKS), "num_attention_heads": heads,
        "num_key_value_heads": None, "vocab_size": vocab, "max_position_embeddings": 256,
        "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "rope_scaling": LLAMA3_SCALING, "hidden_act": "silu",
        "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": False,
        "block_configs": [{"attention": a, "ffn": f} for a, f in DECILM_BLOCKS],
    }

    def layers(names, first, last):
        return [n for n in names if any(n.startswith(f"model.layers.{i}.") for i in range(first, last + 1))]

    names = list(c.tensors)
    shards = [
        ["model.embed_tokens.weight"] + layers(names, 0, 1),
        layers(names, 2, 3),
        layers(names, 4, 5) + ["model.norm.weight", "lm_head.weight"],
    ]
    return c.write(os.path.join(out, "decilm"), config, shards=shards)


# Bytes 0x21-0x7E are their own byte-level symbols; space and newline are U+0120 and U+010A.
BYTE_SYMBOLS = [chr(b) for b in range(0x21, 0x7F)] + ["\u0120", "\u010a"]
LLAMA3_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
               r"|\s*[\r\n]+|\s+(?!\S)|\s+")
# Merges in rank order, each of two symbols already in the vocabulary.
MERGES = ["\u0120 t", "h e", "\u0120t he", "i n", "e r", "\u0120 a", "o n", "r e", "\u0120 s", "a t", "e n",
          "\u0120 w", "o r", "i s", "\u0120 o", "e s", "\u0120 c", "\u0120 b", "a n", "\u0120 f", "\u0120 p",
          "\u010a \u010a", "\u0120 m", "\u0120 d", "l l", "\u0120 R", "\u0120 1", "s e", "\u0120 h"]
LLAMA3_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
                   "<|eom_id|>", "<|eot_id|>", "<|python_tag|>", "<|finetune_right_pad_id|>"]
QWEN2_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
LLAMA3_TEMPLATE = ("{{- bos_token }}{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + "
                   "'<|end_header_id|>\n\n' + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
                   "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{%- endif %}")
CHATML_TEMPLATE = ("{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\n' + message['content'] + "
                   "'<|im_end|>\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\n' }}{%- endif %}")


def write_tokenizer(directory, vocab_size, specials, split, bos, eos, template):
    """A byte-level BPE tokenizer.json of exactly `vocab_size` ids (bytes, merges, specials) and its
    tokenizer_config.json, in the layout transformers saves."""
    merges = MERGES[: vocab_size - len(BYTE_SYMBOLS) - len(specials)]
    vocab = {symbol: i for i, symbol in enumerate(BYTE_SYMBOLS)}
    for merge in merges:
        left, right = merge.split(" ")
        assert left in vocab and right in vocab, merge
        vocab[left + right] = len(vocab)
    first_special = len(vocab)
    assert first_special + len(specials) == vocab_size, (first_special, len(specials), vocab_size)
    added = [{"id": first_special + i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(specials)]
    post = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True}
    if bos is not None:
        post = {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": bos, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {bos: {"id": bos, "ids": [specials.index(bos) + first_special], "tokens": [bos]}}}
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": split}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": post,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": merges},
    }
    with open(os.path.join(directory, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, indent=1, ensure_ascii=False)
    config = {
        "added_tokens_decoder": {str(t["id"]): {k: v for k, v in t.items() if k != "id"} for t in added},
        "bos_token": bos, "chat_template": template, "clean_up_tokenization_spaces": True, "eos_token": eos,
        "model_max_length": 256, "tokenizer_class": "PreTrainedTokenizerFast",
    }
    with open(os.path.join(directory, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)


def tokenizers(out):
    for name in ["llama", "decilm"]:
        write_tokenizer(os.path.join(out, name), 128, LLAMA3_SPECIALS, LLAMA3_SPLIT,
                        "<|begin_of_text|>", "<|eot_id|>", LLAMA3_TEMPLATE)
    write_tokenizer(os.path.join(out, "qwen2"), 128, QWEN2_SPECIALS, QWEN2_SPLIT, None, "<|im_end|>", CHATML_TEMPLATE)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    # The hashes are of numpy's bytes, which are safetensors' (little-endian) only on such a machine.
    assert sys.byteorder == "little", "expected.json hashes assume a little-endian machine"
    out = sys.argv[1]
    expected = {"llama": llama(out), "qwen2": qwen2(out), "decilm": decilm(out)}
    tokenizers(out)
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
