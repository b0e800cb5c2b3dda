"""A float64 numpy forward pass of the tiny Hugging Face checkpoints (llama, qwen2, nemotron-nas),
written from transformers' modeling_llama.py / modeling_qwen2.py and DeciLM's modeling_decilm.py
(as vLLM's nemotron_nas.py follows it), sharing no code with genrm. scripts/golden_hf_references.py
uses it as the reference for the DeciLM layer kinds that neither transformers (DeciLM is remote
code) nor llama.cpp (see make_hf_llamacpp_variant.py) can run, after holding it to both of them
on the checkpoints they can run.

forward(directory, ids, f16_attention) -> next-token logits of every position, (len(ids), vocab).
f16_attention rounds what llama.cpp's CPU attention (and genrm's, Kernels/Attention.swift) holds
in float16: keys (after rope) and values in the KV cache, the query and the softmax weights
before their products with them. Without it the pass is what transformers computes, in float64.
"""
import json
import math
import pathlib

import ml_dtypes  # noqa: F401 (gives numpy the bfloat16 that safetensors reads BF16 into)
import numpy as np
from safetensors.numpy import load_file


def weights(directory):
    tensors = {}
    for file in sorted(pathlib.Path(directory).glob("*.safetensors")):
        tensors.update({n: t.astype(np.float64) for n, t in load_file(str(file)).items()})
    return tensors


def inverse_frequencies(config, head_dim):
    """transformers' default rope, and its llama3 rescaling (modeling_rope_utils.py)."""
    inv = 1.0 / config["rope_theta"] ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    scaling = config.get("rope_scaling")
    if not scaling or scaling.get("rope_type") != "llama3":
        return inv
    factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
    original = scaling["original_max_position_embeddings"]
    wavelength = 2 * math.pi / inv
    scaled = np.where(wavelength > original / low, inv / factor, inv)
    smooth = (original / wavelength - low) / (high - low)
    blended = (1 - smooth) * scaled / factor + smooth * scaled
    medium = (wavelength >= original / high) & (wavelength <= original / low)
    return np.where(medium, blended, scaled)


def rms_norm(x, weight, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * weight


def rotate(x, cos, sin):
    """Rotate-half rope: dimension i pairs with i + head_dim/2."""
    half = x.shape[-1] // 2
    rotated = np.concatenate([-x[..., half:], x[..., :half]], axis=-1)
    return x * cos + rotated * sin


def attention(x, w, prefix, heads, kv_heads, head_dim, cos, sin, f16_attention):
    def project(name, count):
        out = x @ w[prefix + name + ".weight"].T
        if prefix + name + ".bias" in w:
            out = out + w[prefix + name + ".bias"]
        return out.reshape(len(x), count, head_dim).transpose(1, 0, 2)  # (heads, tokens, head_dim)

    q = rotate(project("q_proj", heads), cos, sin)
    k = rotate(project("k_proj", kv_heads), cos, sin)
    v = project("v_proj", kv_heads)
    half = (lambda a: a.astype(np.float16).astype(np.float64)) if f16_attention else (lambda a: a)
    group = heads // kv_heads
    k, v = np.repeat(half(k), group, axis=0), np.repeat(half(v), group, axis=0)
    scores = half(q) @ k.transpose(0, 2, 1) / math.sqrt(head_dim)
    scores = scores + np.triu(np.full((len(x), len(x)), -np.inf), 1)
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    scores = half(scores / scores.sum(-1, keepdims=True))
    out = (scores @ v).transpose(1, 0, 2).reshape(len(x), heads * head_dim)
    return out @ w[prefix + "o_proj.weight"].T


def swiglu(x, w, prefix):
    gate = x @ w[prefix + "gate_proj.weight"].T
    return ((gate / (1 + np.exp(-gate))) * (x @ w[prefix + "up_proj.weight"].T)) @ w[prefix + "down_proj.weight"].T


def layer_kinds(config):
    """Per layer: (KV heads, or "linear" or None for none; "swiglu", "linear" or None)."""
    heads = config["num_attention_heads"]
    if config["model_type"] != "nemotron-nas":
        return [(config.get("num_key_value_heads", heads), "swiglu")] * config["num_hidden_layers"]
    kinds = []
    for block in config["block_configs"]:
        a, f = block["attention"], block["ffn"]
        attention = None if a["no_op"] else "linear" if a["replace_with_linear"] else heads // a["n_heads_in_group"]
        ffn = None if f["no_op"] else "linear" if f["replace_with_linear"] else "swiglu"
        kinds.append((attention, ffn))
    return kinds


def forward(directory, ids, f16_attention=False):
    config = json.loads((pathlib.Path(directory) / "config.json").read_text())
    w = weights(directory)
    heads, eps = config["num_attention_heads"], config["rms_norm_eps"]
    head_dim = config["hidden_size"] // heads
    angles = np.outer(np.arange(len(ids), dtype=np.float64), inverse_frequencies(config, head_dim))
    cos, sin = np.cos(np.concatenate([angles, angles], -1)), np.sin(np.concatenate([angles, angles], -1))
    x = w["model.embed_tokens.weight"][ids]
    for i, (kv_heads, ffn) in enumerate(layer_kinds(config)):
        prefix = f"model.layers.{i}."
        if kv_heads == "linear":
            x = x + rms_norm(x, w[prefix + "input_layernorm.weight"], eps) @ w[prefix + "self_attn.linear_attn.weight"].T
        elif kv_heads is not None:
            h = rms_norm(x, w[prefix + "input_layernorm.weight"], eps)
            x = x + attention(h, w, prefix + "self_attn.", heads, kv_heads, head_dim, cos, sin, f16_attention)
        if ffn == "linear":
            x = x + rms_norm(x, w[prefix + "post_attention_layernorm.weight"], eps) @ w[prefix + "mlp.linear_mlp.weight"].T
        elif ffn is not None:
            x = x + swiglu(rms_norm(x, w[prefix + "post_attention_layernorm.weight"], eps), w, prefix + "mlp.")
    output = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return rms_norm(x, w["model.norm.weight"], eps) @ output.T
