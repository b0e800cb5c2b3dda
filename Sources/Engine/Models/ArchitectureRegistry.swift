import Formats

/// One supported `general.architecture`: how its hyper-parameters are read from GGUF metadata.
/// The tensors and the forward pass are shared (`ModelWeights`, `TransformerModel`); the
/// architectures differ in config keys, per-layer shapes, biases and rope pairing.
protocol ArchitectureDefinition {
    static var name: String { get }
    static func config(_ reader: GGUFConfigReader) throws(ModelError) -> ModelConfig
}

/// The architectures genrm can run, by GGUF architecture name.
public enum ArchitectureRegistry {
    static var definitions: [any ArchitectureDefinition.Type] { [Llama.self, Qwen2.self, DeciLM.self] }

    /// Supported `general.architecture` values.
    public static var names: [String] { definitions.map { $0.name } }

    /// Decodes the config of `file` with the definition its `general.architecture` names.
    public static func config(of file: GGUFFile) throws(ModelError) -> ModelConfig {
        let reader = try GGUFConfigReader(file: file)
        guard let definition = definitions.first(where: { $0.name == reader.architecture }) else {
            throw .unsupportedArchitecture(reader.architecture)
        }
        return try definition.config(reader)
    }
}

extension GGUFConfigReader {
    /// The config of a Llama-like model whose layers all share one shape (llama, qwen2).
    func uniformConfig(pairing: RoPE.Pairing, attentionBias: Bool) throws(ModelError) -> ModelConfig {
        let hiddenSize = try positive("embedding_length")
        let layerCount = try positive("block_count")
        let heads = try positive("attention.head_count")
        let kvHeads = try intIfPresent("attention.head_count_kv") ?? heads
        guard kvHeads > 0, heads % kvHeads == 0 else {
            throw .invalidConfig(
                key: key("attention.head_count_kv"),
                reason: "\(kvHeads) key/value heads do not divide \(heads) query heads")
        }
        let ffnWidth = try positive("feed_forward_length")
        let headDim = try headDim(hiddenSize: hiddenSize, heads: [heads])
        let layer = LayerConfig(attention: .multiHead(heads: heads, kvHeads: kvHeads), feedForward: .swiGLU(width: ffnWidth))
        return ModelConfig(
            architecture: architecture, hiddenSize: hiddenSize,
            layers: Array(repeating: layer, count: layerCount), headDim: headDim,
            vocabularySize: try vocabularySize(), contextLength: try positive("context_length"),
            normEpsilon: try normEpsilon(), attentionBias: attentionBias,
            rope: try rope(headDim: headDim, pairing: pairing))
    }
}
