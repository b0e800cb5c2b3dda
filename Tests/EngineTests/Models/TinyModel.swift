import Formats
@testable import Engine

/// A tiny Llama-family model with random weights, written as a GGUF image by `GGUFWriter` the
/// way llama.cpp's converter would name and shape its tensors.
struct TinyModel {
    var architecture = "llama"
    var hidden = 64
    var headDim = 16
    var vocabulary = 96
    var contextLength = 64
    var layers: [LayerConfig]
    /// Type of the big matrices (norms and biases stay F32, as in real files).
    var matrixType: GGMLType = .f32
    var ropeBase = 10_000.0
    var ropeFrequencyDivisors: [Float]?
    var tiedOutput = true
    var normEpsilon: Float = 1e-5
    var seed: UInt64 = 1

    /// The uniform layers of a llama / qwen2 model.
    static func uniform(architecture: String, layerCount: Int = 2, heads: Int = 4, kvHeads: Int = 2, ffn: Int = 96) -> TinyModel {
        TinyModel(
            architecture: architecture,
            layers: Array(repeating: LayerConfig(attention: .multiHead(heads: heads, kvHeads: kvHeads), feedForward: .gated(width: ffn)), count: layerCount))
    }

    /// The config genrm should decode from the file.
    var expectedConfig: ModelConfig {
        ModelConfig(
            architecture: architecture, hiddenSize: hidden, layers: layers, headDim: headDim,
            vocabularySize: vocabulary, contextLength: contextLength, normEpsilon: normEpsilon,
            attentionBias: architecture == "qwen2",
            rope: RoPEConfig(base: ropeBase, dimensions: headDim, pairing: architecture == "qwen2" ? .halves : .adjacent,
                             frequencyDivisors: ropeFrequencyDivisors))
    }

    func metadata() -> [(String, GGUFValue)] {
        let a = architecture
        var pairs: [(String, GGUFValue)] = [
            ("general.architecture", .string(a)),
            ("\(a).context_length", .uint32(UInt32(contextLength))),
            ("\(a).embedding_length", .uint32(UInt32(hidden))),
            ("\(a).block_count", .uint32(UInt32(layers.count))),
            ("\(a).rope.freq_base", .float32(Float(ropeBase))),
            ("\(a).rope.dimension_count", .uint32(UInt32(headDim))),
            ("\(a).attention.layer_norm_rms_epsilon", .float32(normEpsilon)),
            ("\(a).attention.key_length", .uint32(UInt32(headDim))),
            ("\(a).attention.value_length", .uint32(UInt32(headDim))),
            ("\(a).vocab_size", .uint32(UInt32(vocabulary))),
        ]
        let heads = layers.map { layer -> (Int, Int) in
            switch layer.attention {
            case .none: return (0, 0)
            case .linear: return (4, 0)
            case .multiHead(let h, let kv): return (h, kv)
            }
        }
        let widths = layers.map { layer -> Int in
            if case .gated(let width) = layer.feedForward { return width }
            return 0
        }
        if a == "deci" {
            pairs.append(("\(a).attention.head_count", .array(heads.map { .int32(Int32($0.0)) })))
            pairs.append(("\(a).attention.head_count_kv", .array(heads.map { .int32(Int32($0.1)) })))
            pairs.append(("\(a).feed_forward_length", .array(widths.map { .int32(Int32($0)) })))
        } else {
            pairs.append(("\(a).attention.head_count", .uint32(UInt32(heads[0].0))))
            pairs.append(("\(a).attention.head_count_kv", .uint32(UInt32(heads[0].1))))
            pairs.append(("\(a).feed_forward_length", .uint32(UInt32(widths[0]))))
        }
        return pairs
    }

    /// Tensor names, dimensions (ggml order) and whether each is a big matrix.
    func tensorShapes() -> [(name: String, dimensions: [Int], matrix: Bool)] {
        var shapes: [(String, [Int], Bool)] = [("token_embd.weight", [hidden, vocabulary], true)]
        for (i, layer) in layers.enumerated() {
            let p = "blk.\(i)."
            switch layer.attention {
            case .none:
                break
            case .linear:
                shapes.append((p + "attn_norm.weight", [hidden], false))
                shapes.append((p + "attn_output.weight", [hidden, hidden], true))
            case .multiHead(let heads, let kv):
                shapes.append((p + "attn_norm.weight", [hidden], false))
                shapes.append((p + "attn_q.weight", [hidden, heads * headDim], true))
                shapes.append((p + "attn_k.weight", [hidden, kv * headDim], true))
                shapes.append((p + "attn_v.weight", [hidden, kv * headDim], true))
                shapes.append((p + "attn_output.weight", [heads * headDim, hidden], true))
                if architecture == "qwen2" {
                    shapes.append((p + "attn_q.bias", [heads * headDim], false))
                    shapes.append((p + "attn_k.bias", [kv * headDim], false))
                    shapes.append((p + "attn_v.bias", [kv * headDim], false))
                }
            }
            switch layer.feedForward {
            case .none:
                break
            case .linear:
                shapes.append((p + "ffn_norm.weight", [hidden], false))
                shapes.append((p + "ffn_down.weight", [hidden, hidden], true))
            case .gated(let width):
                shapes.append((p + "ffn_norm.weight", [hidden], false))
                shapes.append((p + "ffn_gate.weight", [hidden, width], true))
                shapes.append((p + "ffn_up.weight", [hidden, width], true))
                shapes.append((p + "ffn_down.weight", [width, hidden], true))
            }
        }
        shapes.append(("output_norm.weight", [hidden], false))
        if !tiedOutput { shapes.append(("output.weight", [hidden, vocabulary], true)) }
        return shapes.map { (name: $0.0, dimensions: $0.1, matrix: $0.2) }
    }

    /// The GGUF image; `edit` may change metadata pairs and tensors before writing (for errors).
    func bytes(
        editMetadata: ([(String, GGUFValue)]) -> [(String, GGUFValue)] = { $0 },
        editTensors: ([(name: String, dimensions: [Int], matrix: Bool)]) -> [(name: String, dimensions: [Int], matrix: Bool)] = { $0 }
    ) throws -> [UInt8] {
        var writer = try GGUFWriter()
        for (key, value) in editMetadata(metadata()) { try writer.add(key, value) }
        var random = TestRandom(seed: seed)
        for shape in editTensors(tensorShapes()) {
            let count = shape.dimensions.reduce(1, *)
            if shape.matrix {
                // Uniform with variance 1 / fan-in keeps activations of order one.
                let scale = (3 / Float(shape.dimensions[0])).squareRoot() * (shape.name == "token_embd.weight" ? 8 : 1)
                let values = random.floats(count, scale: scale)
                try writer.addTensor(shape.name, dimensions: shape.dimensions, type: matrixType,
                                     data: matrixType.quantizeReference(values))
            } else if shape.name.hasSuffix(".bias") {
                try writer.addTensor(shape.name, dimensions: shape.dimensions, values: random.floats(count, scale: 0.5))
            } else {
                try writer.addTensor(shape.name, dimensions: shape.dimensions, values: random.floats(count, scale: 0.3).map { 1 + $0 })
            }
        }
        if let divisors = ropeFrequencyDivisors {
            try writer.addTensor("rope_freqs.weight", dimensions: [divisors.count], values: divisors)
        }
        return writer.bytes()
    }

    func file() throws -> GGUFFile { try GGUFFile(bytes: bytes()) }

    func model(pool: ThreadPool = .shared) throws -> TransformerModel {
        try TransformerModel(file: file(), pool: pool)
    }
}
