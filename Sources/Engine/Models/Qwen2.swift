/// Qwen2 (Qwen2.5, Qwen2.5-Coder): Llama's layer with biases on the query, key and value
/// projections and "rotate half" (NEOX) rope, as llama.cpp runs `qwen2` GGUF files.
enum Qwen2: Architecture {
    static let name = "qwen2"

    static func config(_ reader: GGUFConfigReader) throws(ModelError) -> ModelConfig {
        try reader.uniformConfig(pairing: .halves, attentionBias: true)
    }

    /// Llama's layers; the config's `attentionBias` makes them load the projection biases.
    static func stack(_ loader: inout TensorLoader, config: ModelConfig) throws(ModelError) -> DecoderStack {
        try Llama.stack(&loader, config: config)
    }
}
