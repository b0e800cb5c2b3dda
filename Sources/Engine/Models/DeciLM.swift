/// DeciLM / Nemotron-NAS (llama.cpp `deci`): a Llama whose layers differ. Per-layer arrays:
/// `attention.head_count` (0 = no attention: the layer has no attention and no input norm),
/// `attention.head_count_kv` (0 with heads > 0 = attention replaced by a hidden x hidden linear
/// map), `feed_forward_length` (the SwiGLU width; 0 = no feed-forward).
///
/// A linear feed-forward replacement has no llama.cpp encoding; genrm reads it as a layer with
/// `feed_forward_length` 0 that still carries `ffn_norm.weight` and a square `ffn_down.weight`.
enum DeciLM: Architecture {
    static let name = "deci"

    static func config(_ reader: GGUFConfigReader) throws(ModelError) -> ModelConfig {
        let hiddenSize = try reader.positive("embedding_length")
        let layerCount = try reader.layerCount()
        let heads = try reader.perLayer("attention.head_count", layerCount: layerCount)
        let kvHeads = try reader.perLayerIfPresent("attention.head_count_kv", layerCount: layerCount) ?? heads
        let ffnWidths = try reader.perLayer("feed_forward_length", layerCount: layerCount)
        var layers: [LayerConfig] = []
        for i in 0..<layerCount {
            let attention: AttentionBlock
            if heads[i] == 0 {
                guard kvHeads[i] == 0 else {
                    throw .invalidConfig(
                        key: reader.key("attention.head_count_kv"),
                        reason: "layer \(i) has \(kvHeads[i]) key/value heads but no query heads")
                }
                attention = .none
            } else if kvHeads[i] == 0 {
                attention = .linear
            } else {
                guard heads[i] % kvHeads[i] == 0 else {
                    throw .invalidConfig(
                        key: reader.key("attention.head_count_kv"),
                        reason: "layer \(i): \(kvHeads[i]) key/value heads do not divide \(heads[i]) query heads")
                }
                attention = .multiHead(heads: heads[i], kvHeads: kvHeads[i])
            }
            let feedForward: FeedForwardBlock
            if ffnWidths[i] > 0 {
                feedForward = .gated(width: ffnWidths[i])
            } else if reader.file.tensorIfPresent(TensorNames.block(i, "ffn_down.weight")) != nil {
                feedForward = .linear
            } else {
                feedForward = .none
            }
            layers.append(LayerConfig(attention: attention, feedForward: feedForward))
        }
        let headDim = try reader.headDim(hiddenSize: hiddenSize, heads: heads)
        return ModelConfig(
            architecture: name, hiddenSize: hiddenSize, layers: layers, headDim: headDim,
            vocabularySize: try reader.vocabularySize(), contextLength: try reader.positive("context_length"),
            normEpsilon: try reader.normEpsilon(), attentionBias: false,
            rope: try reader.rope(headDim: headDim, pairing: .adjacent))
    }

    /// Per layer: Llama's attention and feed-forward where the config has them, the linear
    /// replacements (`attn_norm` + `attn_output`, `ffn_norm` + `ffn_down`, hidden x hidden), or
    /// nothing for a no-op slot.
    static func stack(_ loader: inout TensorLoader, config: ModelConfig) throws(ModelError) -> DecoderStack {
        let hidden = config.hiddenSize
        var layers: [DecoderLayer] = []
        for (i, layer) in config.layers.enumerated() {
            func name(_ suffix: String) -> String { TensorNames.block(i, suffix) }
            var branches: [any ResidualBranch] = []
            switch layer.attention {
            case .none:
                break
            case .linear:
                branches.append(LinearReplacement(
                    norm: try loader.vector(name("attn_norm.weight"), count: hidden),
                    weight: try loader.matrix(name("attn_output.weight"), rows: hidden, cols: hidden)))
            case .multiHead(let heads, let kvHeads):
                branches.append(try Llama.attention(&loader, layer: i, heads: heads, kvHeads: kvHeads, config: config))
            }
            switch layer.feedForward {
            case .none:
                break
            case .linear:
                branches.append(LinearReplacement(
                    norm: try loader.vector(name("ffn_norm.weight"), count: hidden),
                    weight: try loader.matrix(name("ffn_down.weight"), rows: hidden, cols: hidden)))
            case .gated(let width):
                branches.append(try Llama.feedForward(&loader, layer: i, width: width, config: config))
            }
            layers.append(DecoderLayer(branches: branches))
        }
        return try Llama.stack(&loader, config: config, layers: layers)
    }
}
