/// Llama (and SmolLM2, Llama 3.x in GGUF): pre-norm decoder, grouped-query attention without
/// biases, SwiGLU feed-forward, rope on adjacent pairs (llama.cpp's converter permutes Q/K rows
/// for it), optional `rope_freqs.weight` for llama3 scaling, output tied to the embedding when
/// `output.weight` is absent.
enum Llama: ArchitectureDefinition {
    static let name = "llama"

    static func config(_ reader: GGUFConfigReader) throws(ModelError) -> ModelConfig {
        try reader.uniformConfig(pairing: .adjacent, attentionBias: false)
    }
}
