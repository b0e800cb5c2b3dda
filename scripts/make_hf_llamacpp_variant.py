#!/usr/bin/env python3
"""Writes FIXTURES/decilm-llamacpp/: the DeciLM fixture of make_hf_fixtures.py reshaped to the
layer kinds llama.cpp's `deci` architecture can hold, so that llama.cpp can be its reference.

usage: make_hf_llamacpp_variant.py FIXTURES   (FIXTURES: the directory make_hf_fixtures.py wrote)

llama.cpp cannot run three things in it:
  layer 3 (linear attention, no-op FFN): llama.cpp skips a layer whose FFN width is 0 whole,
          attention included (src/models/deci.cpp: `if (n_ff == 0) continue;` before the residual),
          while transformers' DeciLM keeps the attention's residual;
  layer 4 (attention, linear FFN): convert_hf_to_gguf.py has no tensor name for
          `mlp.linear_mlp.weight` ("Can not map tensor") and llama.cpp no linear FFN;
  layer 5 (no-op attention and FFN) as the LAST layer: llama.cpp 0.3.36 aborts in its first
          evaluation (GGML_ASSERT(buffer) in ggml-backend.cpp; the last layer's `continue` leaves
          the output-row selection out of the graph); anywhere else it is fine.
So layer 3 takes layer 0's FFN (post_attention_layernorm and SwiGLU, ffn_mult 1.0), layer 4 takes
layer 1's (ffn_mult 7.0) in place of its linear FFN, and the no-op layer moves from last to
fourth (new order 0, 1, 2, 5, 3, 4; tensors renamed to match). Every tensor's bytes, the dtype
(BF16), the rest of the config and the three-shard layout (embeddings and layers 0-1, layers
2-3, layers 4-5 with the norm and lm_head) are the fixture's. The variant keeps every attention
kind (two GQA groupings, no-op, linear) and the no-op layer; FFN no-op after an attention and
the linear FFN have no independent reference here (transformers lacks DeciLM's remote code).
Deterministic: a function of the fixture's files.
"""
import copy
import json
import pathlib
import sys

import ml_dtypes  # noqa: F401 (gives numpy the bfloat16 that safetensors reads BF16 into)
from safetensors.numpy import load_file, save_file

# layer -> the layer whose FFN it takes, with that layer's ffn_mult
BORROWED_FFN = {3: 0, 4: 1}
# new layer i is the fixture's layer ORDER[i]
ORDER = [0, 1, 2, 5, 3, 4]


def layer_of(name):
    return int(name.split(".")[2]) if name.startswith("model.layers.") else None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = pathlib.Path(sys.argv[1]) / "decilm"
    target = pathlib.Path(sys.argv[1]) / "decilm-llamacpp"
    target.mkdir(parents=True, exist_ok=True)

    config = json.loads((source / "config.json").read_text())
    blocks = copy.deepcopy(config["block_configs"])
    for layer, donor in BORROWED_FFN.items():
        blocks[layer]["ffn"] = copy.deepcopy(config["block_configs"][donor]["ffn"])
    assert sorted(ORDER) == list(range(len(blocks)))
    variant = dict(config, block_configs=[blocks[old] for old in ORDER])
    (target / "config.json").write_text(json.dumps(variant, indent=2))

    index = json.loads((source / "model.safetensors.index.json").read_text())
    shards = sorted(set(index["weight_map"].values()))
    assert len(shards) == 3
    tensors = {}
    for shard in shards:
        tensors.update(load_file(str(source / shard)))
    for layer, donor in BORROWED_FFN.items():
        for name in [n for n in tensors if layer_of(n) == layer and (".mlp." in n or "post_attention" in n)]:
            del tensors[name]
        for name in [n for n in list(tensors) if layer_of(n) == donor and (".mlp." in n or "post_attention" in n)]:
            tensors[name.replace(f"layers.{donor}.", f"layers.{layer}.", 1)] = tensors[name].copy()
    renamed = {}
    for name, tensor in tensors.items():
        old = layer_of(name)
        renamed[name if old is None else name.replace(f"layers.{old}.", f"layers.{ORDER.index(old)}.", 1)] = tensor

    def shard_of(name):
        layer = layer_of(name)
        if layer is None:
            return shards[0] if name == "model.embed_tokens.weight" else shards[2]
        return shards[layer // 2]

    weight_map = {name: shard_of(name) for name in sorted(renamed)}
    for shard in shards:
        save_file({n: renamed[n] for n, s in weight_map.items() if s == shard}, str(target / shard),
                  metadata={"format": "pt"})
    total = sum(t.nbytes for t in renamed.values())
    (target / "model.safetensors.index.json").write_text(
        json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2))


if __name__ == "__main__":
    main()
