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

extension Qwen2: HuggingFaceArchitecture {
    static let huggingFaceModelType = "qwen2"

    /// `Qwen2ForCausalLM`'s config.json: biases on q/k/v always (the config has no flag for
    /// them); sliding-window attention, which released Qwen2.5 models leave off, is refused.
    static func config(_ reader: HFConfigReader) throws(ModelError) -> ModelConfig {
        try reader.requireOff("use_sliding_window", because: "genrm runs Qwen2 with full attention in every layer")
        return try reader.uniformConfig(architecture: name, attentionBias: true)
    }
}
