/// The tensors a Hugging Face checkpoint of a Llama-family model holds, by transformers' module
/// names, with their row-major shapes (`[out, in]` for a projection): what `LlamaForCausalLM`,
/// `Qwen2ForCausalLM` and `DeciLMForCausalLM` save for a given `ModelConfig`. DeciLM adds the
/// linear replacements (`self_attn.linear_attn`, `mlp.linear_mlp`) and leaves out a no-op slot's
/// module and its norm.
///
/// Each tensor also carries the engine's (llama.cpp's GGUF) name for it, which is how
/// `HFTensorSource` hands it to the architectures: DeciLM's linear attention becomes
/// `attn_output` beside `attn_norm`, its linear FFN `ffn_down` beside `ffn_norm`, as `DeciLM`
/// reads them. The bytes of `[out, in]` in row-major order are those of ggml's `[in, out]` (ne0
/// first), so these weights map onto the engine's matrices without a transpose.
enum HFTensorLayout {
    struct Tensor: Equatable {
        let name: String
        let shape: [Int]
        /// The engine's name (`TensorNames`).
        let engineName: String
    }

    /// Buffers some checkpoints carry that are computed, not learned (old Llama exports saved
    /// `rotary_emb.inv_freq`); present or not, they are not part of the model.
    static func isDerivedBuffer(_ name: String) -> Bool {
        name.hasSuffix(".rotary_emb.inv_freq")
    }

    /// The token embedding's and the untied output's names in a checkpoint.
    static let embeddingName = "model.embed_tokens.weight"
    static let outputName = "lm_head.weight"

    static func tensors(of config: ModelConfig, tiedEmbeddings: Bool) -> [Tensor] {
        let hidden = config.hiddenSize, vocab = config.vocabularySize
        var tensors = [Tensor(name: embeddingName, shape: [vocab, hidden], engineName: TensorNames.tokenEmbedding)]
        for (i, layer) in config.layers.enumerated() {
            func add(_ suffix: String, _ shape: [Int], _ engineSuffix: String) {
                tensors.append(Tensor(name: "model.layers.\(i).\(suffix)", shape: shape, engineName: TensorNames.block(i, engineSuffix)))
            }
            switch layer.attention {
            case .none:
                break
            case .linear:
                add("input_layernorm.weight", [hidden], "attn_norm.weight")
                add("self_attn.linear_attn.weight", [hidden, hidden], "attn_output.weight")
            case .multiHead(let heads, let kvHeads):
                let qWidth = heads * config.headDim, kvWidth = kvHeads * config.headDim
                add("input_layernorm.weight", [hidden], "attn_norm.weight")
                add("self_attn.q_proj.weight", [qWidth, hidden], "attn_q.weight")
                add("self_attn.k_proj.weight", [kvWidth, hidden], "attn_k.weight")
                add("self_attn.v_proj.weight", [kvWidth, hidden], "attn_v.weight")
                add("self_attn.o_proj.weight", [hidden, qWidth], "attn_output.weight")
                if config.attentionBias {
                    add("self_attn.q_proj.bias", [qWidth], "attn_q.bias")
                    add("self_attn.k_proj.bias", [kvWidth], "attn_k.bias")
                    add("self_attn.v_proj.bias", [kvWidth], "attn_v.bias")
                }
            }
            switch layer.feedForward {
            case .none:
                break
            case .linear:
                add("post_attention_layernorm.weight", [hidden], "ffn_norm.weight")
                add("mlp.linear_mlp.weight", [hidden, hidden], "ffn_down.weight")
            case .gated(let width):
                add("post_attention_layernorm.weight", [hidden], "ffn_norm.weight")
                add("mlp.gate_proj.weight", [width, hidden], "ffn_gate.weight")
                add("mlp.up_proj.weight", [width, hidden], "ffn_up.weight")
                add("mlp.down_proj.weight", [hidden, width], "ffn_down.weight")
            }
        }
        tensors.append(Tensor(name: "model.norm.weight", shape: [hidden], engineName: TensorNames.outputNorm))
        if !tiedEmbeddings { tensors.append(Tensor(name: outputName, shape: [vocab, hidden], engineName: TensorNames.output)) }
        return tensors
    }
}
