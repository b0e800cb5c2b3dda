import Foundation

/// Gemma 3 (llama.cpp `gemma3`, text): Llama's skeleton with
/// - sliding-window and global attention layers: every sixth layer (5, 11, 17, ...) is global,
///   the others attend to the last `attention.sliding_window` positions; global layers rotate
///   with `rope.freq_base`, local ones with base 10,000 (llama.cpp's fixed local base), both
///   "rotate half" (NEOX);
/// - RMS norms of each query and key head before rope (`attn_q_norm`, `attn_k_norm`);
/// - norms after the attention and feed-forward projections, before the residual add
///   (`post_attention_norm`, `post_ffw_norm`);
/// - a GELU-tanh gated feed-forward;
/// - token embeddings scaled by sqrt(hidden); output tied to the embedding.
/// Norm weights are stored as multipliers (llama.cpp's converter adds Gemma's +1).
enum Gemma3: Architecture {
    static let name = "gemma3"
    /// One global layer after five local ones.
    static let globalEvery = 6
    static let localRopeBase = 10_000.0

    static func config(_ reader: GGUFConfigReader) throws(ModelError) -> ModelConfig {
        try reader.uniformConfig(pairing: .halves, attentionBias: false)
    }

    static func isGlobal(layer: Int) -> Bool { (layer + 1) % globalEvery == 0 }

    static func stack(_ loader: inout TensorLoader, config: ModelConfig) throws(ModelError) -> DecoderStack {
        guard let file = loader.ggufFile else {
            throw .invalidConfig(key: "general.architecture", reason: "gemma3 is read from GGUF files only, not from \(loader.source.origin)")
        }
        let reader = try GGUFConfigReader(file: file)
        let window = try reader.positive("attention.sliding_window")
        let hidden = config.hiddenSize, headDim = config.headDim
        var layers: [DecoderLayer] = []
        for (i, layer) in config.layers.enumerated() {
            guard case .multiHead(let heads, let kvHeads) = layer.attention, case .gated(let width) = layer.feedForward else {
                throw .invalidConfig(key: reader.key("block_count"), reason: "layer \(i) is not a Gemma 3 layer")
            }
            func name(_ suffix: String) -> String { TensorNames.block(i, suffix) }
            var attention = try Llama.attention(&loader, layer: i, heads: heads, kvHeads: kvHeads, config: config)
            attention.queryNorm = try loader.vector(name("attn_q_norm.weight"), count: headDim)
            attention.keyNorm = try loader.vector(name("attn_k_norm.weight"), count: headDim)
            attention.postNorm = try loader.vector(name("post_attention_norm.weight"), count: hidden)
            attention.ropeTable = isGlobal(layer: i) ? 0 : 1
            attention.window = isGlobal(layer: i) ? nil : window
            var feedForward = try Llama.feedForward(&loader, layer: i, width: width, config: config)
            feedForward.activation = .geluTanh
            feedForward.postNorm = try loader.vector(name("post_ffw_norm.weight"), count: hidden)
            layers.append(DecoderLayer(branches: [attention, feedForward]))
        }
        let llama = try Llama.stack(&loader, config: config, layers: layers)
        var local = config.rope
        local.base = localRopeBase
        local.scale = 1
        return DecoderStack(
            tokenEmbedding: llama.tokenEmbedding, embeddingScale: Float(Double(hidden).squareRoot()), layers: layers,
            outputNorm: llama.outputNorm, output: llama.output, ropes: [config.rope.table, local.table])
    }
}
