import JSON

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

extension DeciLM: HuggingFaceArchitecture {
    static let huggingFaceModelType = "nemotron-nas"
    /// transformers rounds every feed-forward width up to a multiple of this.
    static let ffnWidthMultiple = 256
    /// Larger widths are a damaged `ffn_mult`, refused before any size is computed from them.
    static let maximumFFNWidth = HFConfigReader.maximumWidth

    /// `DeciLMForCausalLM`'s config.json: a Llama config whose `block_configs[i]` say what layer
    /// i computes: `attention {no_op, replace_with_linear, n_heads_in_group}` (key/value heads =
    /// query heads / n_heads_in_group) and `ffn {no_op, replace_with_linear, ffn_mult}`.
    static func config(_ reader: HFConfigReader) throws(ModelError) -> ModelConfig {
        try reader.requireSiLU()
        try reader.requireOff("attention_bias", because: "genrm's attention has no projection biases")
        try reader.requireOff("mlp_bias", because: "genrm's feed-forward has no biases")
        let hiddenSize = try reader.positive("hidden_size")
        let heads = try reader.positive("num_attention_heads")
        let layerCount = try reader.layerCount()
        guard let blocks = try reader.fields.objects("block_configs") else { throw reader.fail("block_configs", "is missing") }
        guard blocks.count == layerCount else {
            throw reader.fail("block_configs", "has \(blocks.count) entries for num_hidden_layers \(layerCount)")
        }
        var layers: [LayerConfig] = []
        for block in blocks {
            layers.append(LayerConfig(
                attention: try attention(of: block, heads: heads),
                feedForward: try feedForward(of: block, hiddenSize: hiddenSize)))
        }
        let headDim = try reader.headDim(hiddenSize: hiddenSize, heads: heads)
        return ModelConfig(
            architecture: name, hiddenSize: hiddenSize, layers: layers, headDim: headDim,
            vocabularySize: try reader.vocabularySize(), contextLength: try reader.contextLength(),
            normEpsilon: try reader.normEpsilon(), attentionBias: false, rope: try reader.rope(headDim: headDim))
    }

    /// `block_configs[i].attention`. Sink tokens, windows and sparsity (fields Nemotron-NAS
    /// checkpoints leave null) have no computation here and are refused when set.
    private static func attention(of block: JSONFields<ModelError>, heads: Int) throws(ModelError) -> AttentionBlock {
        guard let attention = try block.nested("attention") else { throw block.fail("attention", "is missing") }
        let slot = try slotKind(attention, unsupported: ["window_length", "num_sink_tokens", "sparsify"])
        switch slot {
        case .none: return .none
        case .linear: return .linear
        case .computed:
            guard let group = try attention.int("n_heads_in_group") else { throw attention.fail("n_heads_in_group", "is missing") }
            guard group > 0, heads % group == 0 else {
                throw attention.fail("n_heads_in_group", "must be a positive divisor of num_attention_heads \(heads), found \(group)")
            }
            return .multiHead(heads: heads, kvHeads: heads / group)
        }
    }

    /// `block_configs[i].ffn`: the width from `ffn_mult` as transformers computes it.
    private static func feedForward(of block: JSONFields<ModelError>, hiddenSize: Int) throws(ModelError) -> FeedForwardBlock {
        guard let ffn = try block.nested("ffn") else { throw block.fail("ffn", "is missing") }
        switch try slotKind(ffn, unsupported: ["sparsify"]) {
        case .none: return .none
        case .linear: return .linear
        case .computed:
            guard let multiplier = try ffn.double("ffn_mult") else { throw ffn.fail("ffn_mult", "is missing") }
            guard multiplier > 0, let width = ffnWidth(multiplier: multiplier, hiddenSize: hiddenSize), width > 0 else {
                throw ffn.fail("ffn_mult", "must be a positive number giving a width of at most \(maximumFFNWidth), found \(multiplier)")
            }
            return .gated(width: width)
        }
    }

    private enum SlotKind { case none, linear, computed }

    /// What a block's attention or ffn slot holds: `no_op`, `replace_with_linear` (not both), or
    /// the computation; `unsupported` fields must be null.
    private static func slotKind(_ slot: JSONFields<ModelError>, unsupported: [String]) throws(ModelError) -> SlotKind {
        let noOp = try slot.bool("no_op") ?? false
        let linear = try slot.bool("replace_with_linear") ?? false
        if noOp, linear { throw slot.fail("replace_with_linear", "and no_op are both true; a slot is one or the other") }
        for field in unsupported where slot.has(field) {
            throw slot.fail(field, "is set; genrm runs neither sinks, windows nor sparsity (Nemotron-NAS leaves it null)")
        }
        return noOp ? .none : linear ? .linear : .computed
    }

    /// transformers' `_ffn_mult_to_intermediate_size`: `int(2 * ffn_mult * hidden / 3)`, rounded
    /// up to a multiple of 256 (ffn_mult 5.25 at hidden 8192 -> 28672, 1.0 -> 5632, 0.5 -> 2816).
    /// Nil for widths past `maximumFFNWidth`.
    static func ffnWidth(multiplier: Double, hiddenSize: Int) -> Int? {
        let exact = 2 * multiplier * Double(hiddenSize) / 3
        guard exact.isFinite, exact >= 0, exact <= Double(maximumFFNWidth) else { return nil }
        let width = Int(exact)
        return (width + ffnWidthMultiple - 1) / ffnWidthMultiple * ffnWidthMultiple
    }
}
