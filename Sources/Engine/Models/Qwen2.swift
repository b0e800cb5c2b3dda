/// Qwen2 (Qwen2.5, Qwen2.5-Coder): Llama's layer with biases on the query, key and value
/// projections and "rotate half" (NEOX) rope, as llama.cpp runs `qwen2` GGUF files.
enum Qwen2: ArchitectureDefinition {
    static let name = "qwen2"

    static func config(_ reader: GGUFConfigReader) throws(ModelError) -> ModelConfig {
        try reader.uniformConfig(pairing: .halves, attentionBias: true)
    }
}
