import Formats

/// Grouped-query self-attention of one layer.
struct MultiHeadAttentionWeights: Sendable {
    let heads: Int
    let kvHeads: Int
    let norm: [Float]               // (hidden)
    let query: WeightMatrix         // (heads * headDim, hidden)
    let key: WeightMatrix           // (kvHeads * headDim, hidden)
    let value: WeightMatrix         // (kvHeads * headDim, hidden)
    let output: WeightMatrix        // (hidden, heads * headDim)
    let queryBias: [Float]?         // (heads * headDim), Qwen2 only
    let keyBias: [Float]?           // (kvHeads * headDim)
    let valueBias: [Float]?         // (kvHeads * headDim)
}

enum AttentionWeights: Sendable {
    case none
    case linear(norm: [Float], output: WeightMatrix)            // (hidden), (hidden, hidden)
    case multiHead(MultiHeadAttentionWeights)
}

enum FeedForwardWeights: Sendable {
    case none
    case linear(norm: [Float], down: WeightMatrix)              // (hidden), (hidden, hidden)
    case swiGLU(norm: [Float], gate: WeightMatrix, up: WeightMatrix, down: WeightMatrix)
    // norm (hidden), gate (width, hidden), up (width, hidden), down (hidden, width)
}

struct LayerWeights: Sendable {
    let attention: AttentionWeights
    let feedForward: FeedForwardWeights
}

/// Every tensor of a Llama-family model, memory-mapped from its GGUF file. Names follow
/// llama.cpp; a missing tensor, a wrong shape or a tensor no layer uses is an error naming it.
struct ModelWeights: Sendable {
    let tokenEmbedding: WeightMatrix  // (vocab, hidden)
    let layers: [LayerWeights]
    let outputNorm: [Float]           // (hidden)
    let output: WeightMatrix          // (vocab, hidden); token_embd when the file ties them

    init(file: GGUFFile, config: ModelConfig) throws(ModelError) {
        var loader = TensorLoader(file: file)
        let hidden = config.hiddenSize
        let vocab = config.vocabularySize
        tokenEmbedding = try loader.matrix(TensorNames.tokenEmbedding, rows: vocab, cols: hidden)
        outputNorm = try loader.vector(TensorNames.outputNorm, count: hidden)
        if file.tensorIfPresent(TensorNames.output) != nil {
            output = try loader.matrix(TensorNames.output, rows: vocab, cols: hidden)
        } else {
            output = tokenEmbedding
        }
        if config.rope.frequencyDivisors != nil { loader.markUsed(TensorNames.ropeFrequencies) }

        var layers: [LayerWeights] = []
        for (i, layer) in config.layers.enumerated() {
            let name = { (suffix: String) in TensorNames.block(i, suffix) }
            let attention: AttentionWeights
            switch layer.attention {
            case .none:
                attention = .none
            case .linear:
                attention = .linear(
                    norm: try loader.vector(name("attn_norm.weight"), count: hidden),
                    output: try loader.matrix(name("attn_output.weight"), rows: hidden, cols: hidden))
            case .multiHead(let heads, let kvHeads):
                let qWidth = heads * config.headDim
                let kvWidth = kvHeads * config.headDim
                attention = .multiHead(MultiHeadAttentionWeights(
                    heads: heads, kvHeads: kvHeads,
                    norm: try loader.vector(name("attn_norm.weight"), count: hidden),
                    query: try loader.matrix(name("attn_q.weight"), rows: qWidth, cols: hidden),
                    key: try loader.matrix(name("attn_k.weight"), rows: kvWidth, cols: hidden),
                    value: try loader.matrix(name("attn_v.weight"), rows: kvWidth, cols: hidden),
                    output: try loader.matrix(name("attn_output.weight"), rows: hidden, cols: qWidth),
                    queryBias: config.attentionBias ? try loader.vector(name("attn_q.bias"), count: qWidth) : nil,
                    keyBias: config.attentionBias ? try loader.vector(name("attn_k.bias"), count: kvWidth) : nil,
                    valueBias: config.attentionBias ? try loader.vector(name("attn_v.bias"), count: kvWidth) : nil))
            }
            let feedForward: FeedForwardWeights
            switch layer.feedForward {
            case .none:
                feedForward = .none
            case .linear:
                feedForward = .linear(
                    norm: try loader.vector(name("ffn_norm.weight"), count: hidden),
                    down: try loader.matrix(name("ffn_down.weight"), rows: hidden, cols: hidden))
            case .swiGLU(let width):
                feedForward = .swiGLU(
                    norm: try loader.vector(name("ffn_norm.weight"), count: hidden),
                    gate: try loader.matrix(name("ffn_gate.weight"), rows: width, cols: hidden),
                    up: try loader.matrix(name("ffn_up.weight"), rows: width, cols: hidden),
                    down: try loader.matrix(name("ffn_down.weight"), rows: hidden, cols: width))
            }
            layers.append(LayerWeights(attention: attention, feedForward: feedForward))
        }
        self.layers = layers
        try loader.checkAllUsed()
    }
}

/// Loads tensors by name with shape checks and remembers which ones were used.
private struct TensorLoader {
    let file: GGUFFile
    var used: Set<String> = []

    init(file: GGUFFile) { self.file = file }

    mutating func markUsed(_ name: String) { used.insert(name) }

    /// A linear map `rows x cols`, stored by GGUF as `[cols, rows]`.
    mutating func matrix(_ name: String, rows: Int, cols: Int) throws(ModelError) -> WeightMatrix {
        guard let info = file.tensorIfPresent(name) else { throw .missingTensor(name) }
        guard info.dimensions == [cols, rows] else {
            throw .shapeMismatch(tensor: name, expected: [cols, rows], actual: info.dimensions)
        }
        used.insert(name)
        do { return try WeightMatrix(file: file, name: name) } catch { throw .tensor(error) }
    }

    /// A vector of `count` values (norm weights, biases), dequantised to floats.
    mutating func vector(_ name: String, count: Int) throws(ModelError) -> [Float] {
        guard let info = file.tensorIfPresent(name) else { throw .missingTensor(name) }
        guard info.dimensions == [count] else {
            throw .shapeMismatch(tensor: name, expected: [count], actual: info.dimensions)
        }
        used.insert(name)
        do throws(TensorError) {
            let values = try WeightMatrix(file: file, name: name).dequantizedRowReference(0)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw TensorError.nonFinite(index: bad)
            }
            return values
        } catch { throw .tensor(error) }
    }

    func checkAllUsed() throws(ModelError) {
        if let extra = file.tensors.first(where: { !used.contains($0.name) }) {
            throw .unexpectedTensor(extra.name)
        }
    }
}
