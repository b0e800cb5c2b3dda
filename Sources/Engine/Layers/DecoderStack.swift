/// What an architecture builds from its file: the embedding, its decoder layers in order, the
/// final norm and the vocabulary projection, and the rotary tables its attention uses. The
/// forward pass (`ForwardPass`) runs any stack; which branches a layer has, and how each is
/// configured, is the architecture's own decision.
struct DecoderStack: Sendable {
    let tokenEmbedding: WeightMatrix  // (vocab, hidden)
    /// Multiplies every embedding row (Gemma: sqrt(hidden)); 1 for the Llama family.
    let embeddingScale: Float
    let layers: [DecoderLayer]
    let outputNorm: [Float]           // (hidden)
    let output: WeightMatrix          // (vocab, hidden); token_embd when the file ties them
    /// Rotary tables, indexed by `SelfAttention.ropeTable` (several when layers differ in base).
    let ropes: [RoPE]
}

/// One decoder layer: residual branches applied in order, each adding its output to the
/// residual stream (attention then feed-forward; none for a DeciLM no-op layer).
struct DecoderLayer: Sendable {
    let branches: [any ResidualBranch]
}

/// One branch of a layer: reads the residual stream of every row of the pass and adds to it.
protocol ResidualBranch: Sendable {
    func apply(_ pass: ForwardPass, layer: Int) throws(ModelError)
}
