/// Llama (and SmolLM2, Llama 3.x in GGUF): pre-norm decoder, grouped-query attention without
/// biases, SwiGLU feed-forward, rope on adjacent pairs (llama.cpp's converter permutes Q/K rows
/// for it), optional `rope_freqs.weight` for llama3 scaling, output tied to the embedding when
/// `output.weight` is absent. Its layer pieces are reused by the architectures that vary it
/// (`Qwen2`, `DeciLM`).
enum Llama: Architecture {
    static let name = "llama"

    static func config(_ reader: GGUFConfigReader) throws(ModelError) -> ModelConfig {
        try reader.uniformConfig(pairing: .adjacent, attentionBias: false)
    }

    static func stack(_ loader: inout TensorLoader, config: ModelConfig) throws(ModelError) -> DecoderStack {
        var layers: [DecoderLayer] = []
        for (i, layer) in config.layers.enumerated() {
            guard case .multiHead(let heads, let kvHeads) = layer.attention, case .gated(let width) = layer.feedForward else {
                throw .invalidConfig(key: "\(config.architecture).block_count", reason: "layer \(i) is not a Llama layer")
            }
            layers.append(DecoderLayer(branches: [
                try attention(&loader, layer: i, heads: heads, kvHeads: kvHeads, config: config),
                try feedForward(&loader, layer: i, width: width, config: config),
            ]))
        }
        return try stack(&loader, config: config, layers: layers)
    }

    // MARK: - The Llama layer's pieces, by llama.cpp's tensor names

    /// `blk.i.attn_norm`, `attn_q/k/v/output` (and `attn_q/k/v.bias` when the config says so).
    static func attention(_ loader: inout TensorLoader, layer i: Int, heads: Int, kvHeads: Int, config: ModelConfig)
        throws(ModelError) -> SelfAttention
    {
        let hidden = config.hiddenSize
        let qWidth = heads * config.headDim, kvWidth = kvHeads * config.headDim
        func name(_ suffix: String) -> String { TensorNames.block(i, suffix) }
        let biased = config.attentionBias
        return SelfAttention(
            heads: heads, kvHeads: kvHeads,
            norm: try loader.vector(name("attn_norm.weight"), count: hidden),
            query: try loader.matrix(name("attn_q.weight"), rows: qWidth, cols: hidden),
            key: try loader.matrix(name("attn_k.weight"), rows: kvWidth, cols: hidden),
            value: try loader.matrix(name("attn_v.weight"), rows: kvWidth, cols: hidden),
            output: try loader.matrix(name("attn_output.weight"), rows: hidden, cols: qWidth),
            queryBias: biased ? try loader.vector(name("attn_q.bias"), count: qWidth) : nil,
            keyBias: biased ? try loader.vector(name("attn_k.bias"), count: kvWidth) : nil,
            valueBias: biased ? try loader.vector(name("attn_v.bias"), count: kvWidth) : nil,
            ropeTable: 0)
    }

    /// `blk.i.ffn_norm`, `ffn_gate`, `ffn_up`, `ffn_down`.
    static func feedForward(_ loader: inout TensorLoader, layer i: Int, width: Int, config: ModelConfig)
        throws(ModelError) -> GatedFeedForward
    {
        let hidden = config.hiddenSize
        func name(_ suffix: String) -> String { TensorNames.block(i, suffix) }
        return GatedFeedForward(
            norm: try loader.vector(name("ffn_norm.weight"), count: hidden),
            gate: try loader.matrix(name("ffn_gate.weight"), rows: width, cols: hidden),
            up: try loader.matrix(name("ffn_up.weight"), rows: width, cols: hidden),
            down: try loader.matrix(name("ffn_down.weight"), rows: hidden, cols: width))
    }

    /// The embedding, final norm, output (tied when absent) and rope table around `layers`.
    static func stack(_ loader: inout TensorLoader, config: ModelConfig, layers: [DecoderLayer]) throws(ModelError) -> DecoderStack {
        let hidden = config.hiddenSize, vocab = config.vocabularySize
        // Untied, the embedding is only looked up: no copy for the matmul kernels.
        let tied = !loader.has(TensorNames.output)
        let embedding = try loader.matrix(TensorNames.tokenEmbedding, rows: vocab, cols: hidden, forMatmul: tied)
        let outputNorm = try loader.vector(TensorNames.outputNorm, count: hidden)
        let output = tied ? embedding : try loader.matrix(TensorNames.output, rows: vocab, cols: hidden)
        if config.rope.frequencyDivisors != nil { loader.markUsed(TensorNames.ropeFrequencies) }
        return DecoderStack(
            tokenEmbedding: embedding, embeddingScale: 1, layers: layers, outputNorm: outputNorm, output: output,
            ropes: [config.rope.table])
    }
}

extension Llama: HuggingFaceArchitecture {
    static let huggingFaceModelType = "llama"

    /// `LlamaForCausalLM`'s config.json: every layer the same; its weights rotate halves.
    static func config(_ reader: HFConfigReader) throws(ModelError) -> ModelConfig {
        try reader.requireOff("attention_bias", because: "genrm's Llama attention has no projection biases")
        try reader.requireOff("mlp_bias", because: "genrm's feed-forward has no biases")
        return try reader.uniformConfig(architecture: name, attentionBias: false)
    }
}

extension GGUFConfigReader {
    /// The config of a Llama-like model whose layers all share one shape (llama, qwen2).
    func uniformConfig(pairing: RoPE.Pairing, attentionBias: Bool) throws(ModelError) -> ModelConfig {
        let hiddenSize = try positive("embedding_length")
        let layerCount = try layerCount()
        let heads = try positive("attention.head_count")
        let kvHeads = try intIfPresent("attention.head_count_kv") ?? heads
        guard kvHeads > 0, heads % kvHeads == 0 else {
            throw .invalidConfig(
                key: key("attention.head_count_kv"),
                reason: "\(kvHeads) key/value heads do not divide \(heads) query heads")
        }
        let ffnWidth = try positive("feed_forward_length")
        let headDim = try headDim(hiddenSize: hiddenSize, heads: [heads])
        let layer = LayerConfig(attention: .multiHead(heads: heads, kvHeads: kvHeads), feedForward: .gated(width: ffnWidth))
        return ModelConfig(
            architecture: architecture, hiddenSize: hiddenSize,
            layers: Array(repeating: layer, count: layerCount), headDim: headDim,
            vocabularySize: try vocabularySize(), contextLength: try positive("context_length"),
            normEpsilon: try normEpsilon(), attentionBias: attentionBias,
            rope: try rope(headDim: headDim, pairing: pairing))
    }
}
