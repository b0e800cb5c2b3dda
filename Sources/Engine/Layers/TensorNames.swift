/// GGUF tensor names shared by the Llama-family architectures (llama.cpp's naming).
enum TensorNames {
    static let tokenEmbedding = "token_embd.weight"
    static let outputNorm = "output_norm.weight"
    static let output = "output.weight"
    static let ropeFrequencies = "rope_freqs.weight"

    static func block(_ layer: Int, _ name: String) -> String { "blk.\(layer).\(name)" }
}
