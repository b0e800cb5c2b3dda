import Formats

/// A Hugging Face checkpoint's config.json decoded: the engine's `ModelConfig` (the same
/// description a GGUF file of the model gives; `nemotron-nas` is the engine's `deci`) and what
/// only the HF layout adds.
public struct HFModelConfig: Sendable, Equatable {
    /// The config.json it was read from.
    public let path: String
    /// `model_type` (`llama`, `qwen2`, `nemotron-nas`).
    public let modelType: String
    public let model: ModelConfig
    /// `tie_word_embeddings`: no `lm_head.weight`, the output projection is the embedding.
    public let tiedEmbeddings: Bool
    /// `torch_dtype` as a safetensors dtype, nil when the config does not state one it names.
    public let storedDType: SafetensorsDType?

    /// Reads and checks the config.json at `path`.
    public init(path: String) throws(ModelError) {
        let reader = try HFConfigReader(path: path)
        self.path = path
        modelType = try reader.modelType()
        model = try ArchitectureRegistry.config(reader)
        tiedEmbeddings = try reader.tiedEmbeddings()
        storedDType = try reader.storedDType().flatMap(Self.dtype(torchName:))
    }

    /// The safetensors dtype of a torch dtype name (`bfloat16` -> BF16).
    static func dtype(torchName: String) -> SafetensorsDType? {
        switch torchName {
        case "float32": .f32
        case "float16": .f16
        case "bfloat16": .bf16
        default: nil
        }
    }
}
