/// What one decoder layer computes in its attention slot.
public enum AttentionBlock: Sendable, Equatable {
    /// No attention and no input norm: the residual stream passes through (DeciLM no-op).
    case none
    /// `h = x + W * RMSNorm(x)` with a hidden x hidden matrix (DeciLM replace-with-linear).
    case linear
    /// Grouped-query self-attention with `heads` query heads sharing `kvHeads` key/value heads.
    case multiHead(heads: Int, kvHeads: Int)

    /// Key/value heads this layer keeps in the cache (0 for layers without attention).
    public var kvHeads: Int {
        if case .multiHead(_, let kv) = self { return kv }
        return 0
    }
}

/// What one decoder layer computes in its feed-forward slot.
public enum FeedForwardBlock: Sendable, Equatable {
    /// Skipped: the residual stream passes through (DeciLM no-op).
    case none
    /// `h = x + W * RMSNorm(x)` with a hidden x hidden matrix (DeciLM replace-with-linear).
    case linear
    /// `h = x + W_down (silu(W_gate n) * W_up n)`, `n = RMSNorm(x)`, with `width` inner units.
    case gated(width: Int)
}

/// One decoder layer's shape.
public struct LayerConfig: Sendable, Equatable {
    public var attention: AttentionBlock
    public var feedForward: FeedForwardBlock

    public init(attention: AttentionBlock, feedForward: FeedForwardBlock) {
        self.attention = attention
        self.feedForward = feedForward
    }
}

/// Hyper-parameters of a decoder-only transformer of the Llama family, decoded from GGUF
/// metadata by the architecture files (`Llama`, `Qwen2`, `DeciLM`) or built directly by tests.
public struct ModelConfig: Sendable, Equatable {
    /// The GGUF `general.architecture` value.
    public var architecture: String
    /// Width of the residual stream (`embedding_length`).
    public var hiddenSize: Int
    /// One entry per decoder layer (`block_count`).
    public var layers: [LayerConfig]
    /// Width of every attention head (`attention.key_length`).
    public var headDim: Int
    public var vocabularySize: Int
    /// Longest sequence the model was trained for (`context_length`).
    public var contextLength: Int
    /// `attention.layer_norm_rms_epsilon`.
    public var normEpsilon: Float
    /// Query, key and value projections carry biases (Qwen2).
    public var attentionBias: Bool
    /// Rotary embedding: base, rotated dimensions, pairing, scaling.
    public var rope: RoPEConfig

    public init(
        architecture: String, hiddenSize: Int, layers: [LayerConfig], headDim: Int,
        vocabularySize: Int, contextLength: Int, normEpsilon: Float, attentionBias: Bool,
        rope: RoPEConfig
    ) {
        self.architecture = architecture
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.headDim = headDim
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.normEpsilon = normEpsilon
        self.attentionBias = attentionBias
        self.rope = rope
    }

    /// Layers that keep keys and values in the cache.
    public var attentionLayerIndices: [Int] {
        layers.indices.filter { layers[$0].attention.kvHeads > 0 }
    }
}

/// Rotary embedding settings as GGUF states them.
public struct RoPEConfig: Sendable, Equatable {
    /// `rope.freq_base` (theta).
    public var base: Double
    /// `rope.dimension_count`: rotated dimensions per head.
    public var dimensions: Int
    public var pairing: RoPE.Pairing
    /// Linear position scaling, `1 / rope.scaling.factor` (1 when unscaled).
    public var scale: Double
    /// Per-pair frequency divisors from the `rope_freqs.weight` tensor (llama3 scaling), or nil.
    public var frequencyDivisors: [Float]?

    public init(base: Double, dimensions: Int, pairing: RoPE.Pairing, scale: Double = 1, frequencyDivisors: [Float]? = nil) {
        self.base = base
        self.dimensions = dimensions
        self.pairing = pairing
        self.scale = scale
        self.frequencyDivisors = frequencyDivisors
    }

    public var table: RoPE {
        RoPE(base: base, dimensions: dimensions, pairing: pairing, scale: scale, frequencyDivisors: frequencyDivisors)
    }
}
