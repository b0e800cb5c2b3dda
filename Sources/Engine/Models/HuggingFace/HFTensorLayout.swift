/// The tensors a Hugging Face checkpoint of a Llama-family model holds, by transformers' module
/// names, with their row-major shapes (`[out, in]` for a projection): what `LlamaForCausalLM`,
/// `Qwen2ForCausalLM` and `DeciLMForCausalLM` save for a given `ModelConfig`. DeciLM adds the
/// linear replacements (`self_attn.linear_attn`, `mlp.linear_mlp`) and leaves out a no-op slot's
/// module and its norm.
///
/// The bytes of `[out, in]` in row-major order are those of ggml's `[in, out]` (ne0 first), so
/// these weights map onto the engine's matrices without a transpose.
enum HFTensorLayout {
    struct Tensor: Equatable {
        let name: String
        let shape: [Int]
    }

    /// Buffers some checkpoints carry that are computed, not learned (old Llama exports saved
    /// `rotary_emb.inv_freq`); present or not, they are not part of the model.
    static func isDerivedBuffer(_ name: String) -> Bool {
        name.hasSuffix(".rotary_emb.inv_freq")
    }

    static func tensors(of config: ModelConfig, tiedEmbeddings: Bool) -> [Tensor] {
        let hidden = config.hiddenSize, vocab = config.vocabularySize
        var tensors = [Tensor(name: "model.embed_tokens.weight", shape: [vocab, hidden])]
        for (i, layer) in config.layers.enumerated() {
            func add(_ suffix: String, _ shape: [Int]) { tensors.append(Tensor(name: "model.layers.\(i).\(suffix)", shape: shape)) }
            switch layer.attention {
            case .none:
                break
            case .linear:
                add("input_layernorm.weight", [hidden])
                add("self_attn.linear_attn.weight", [hidden, hidden])
            case .multiHead(let heads, let kvHeads):
                let qWidth = heads * config.headDim, kvWidth = kvHeads * config.headDim
                add("input_layernorm.weight", [hidden])
                add("self_attn.q_proj.weight", [qWidth, hidden])
                add("self_attn.k_proj.weight", [kvWidth, hidden])
                add("self_attn.v_proj.weight", [kvWidth, hidden])
                add("self_attn.o_proj.weight", [hidden, qWidth])
                if config.attentionBias {
                    add("self_attn.q_proj.bias", [qWidth])
                    add("self_attn.k_proj.bias", [kvWidth])
                    add("self_attn.v_proj.bias", [kvWidth])
                }
            }
            switch layer.feedForward {
            case .none:
                break
            case .linear:
                add("post_attention_layernorm.weight", [hidden])
                add("mlp.linear_mlp.weight", [hidden, hidden])
            case .gated(let width):
                add("post_attention_layernorm.weight", [hidden])
                add("mlp.gate_proj.weight", [width, hidden])
                add("mlp.up_proj.weight", [width, hidden])
                add("mlp.down_proj.weight", [hidden, width])
            }
        }
        tensors.append(Tensor(name: "model.norm.weight", shape: [hidden]))
        if !tiedEmbeddings { tensors.append(Tensor(name: "lm_head.weight", shape: [vocab, hidden])) }
        return tensors
    }
}
