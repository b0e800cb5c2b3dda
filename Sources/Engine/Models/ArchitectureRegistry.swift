import Formats

/// One supported `general.architecture`, in one file: how its hyper-parameters are read from GGUF
/// metadata, which tensors it has under which names, and which layers it builds from them (on
/// the shared layers and kernels below: `SelfAttention`, `GatedFeedForward`, ...).
protocol Architecture {
    static var name: String { get }
    static func config(_ reader: GGUFConfigReader) throws(ModelError) -> ModelConfig
    /// The layers of a model of this architecture, its tensors loaded (and marked used) through `loader`.
    static func stack(_ loader: inout TensorLoader, config: ModelConfig) throws(ModelError) -> DecoderStack
}

/// An architecture that is also read from Hugging Face checkpoints: the `model_type` of its
/// config.json and how that config maps onto the same `ModelConfig` its GGUF metadata gives, so
/// that both sources describe a model, layer by layer, alike.
protocol HuggingFaceArchitecture: Architecture {
    static var huggingFaceModelType: String { get }
    static func config(_ reader: HFConfigReader) throws(ModelError) -> ModelConfig
}

/// The architectures genrm can run, by GGUF architecture name and HF `model_type`.
public enum ArchitectureRegistry {
    static var architectures: [any Architecture.Type] { [Llama.self, Qwen2.self, DeciLM.self, Gemma3.self] }
    static var huggingFaceArchitectures: [any HuggingFaceArchitecture.Type] { [Llama.self, Qwen2.self, DeciLM.self] }

    /// Supported HF `model_type` values.
    public static var huggingFaceModelTypes: [String] { huggingFaceArchitectures.map { $0.huggingFaceModelType } }

    /// Supported `general.architecture` values.
    public static var names: [String] { architectures.map { $0.name } }

    static func architecture(named name: String) throws(ModelError) -> any Architecture.Type {
        guard let found = architectures.first(where: { $0.name == name }) else { throw .unsupportedArchitecture(name) }
        return found
    }

    /// Decodes a Hugging Face config.json with the architecture its `model_type` names.
    static func config(_ reader: HFConfigReader) throws(ModelError) -> ModelConfig {
        let modelType = try reader.modelType()
        guard let found = huggingFaceArchitectures.first(where: { $0.huggingFaceModelType == modelType }) else {
            throw .unsupportedModelType(modelType, path: reader.path)
        }
        return try found.config(reader)
    }

    /// Decodes the config of `file` with the architecture its `general.architecture` names.
    public static func config(of file: GGUFFile) throws(ModelError) -> ModelConfig {
        let reader = try GGUFConfigReader(file: file)
        return try architecture(named: reader.architecture).config(reader)
    }

    /// The layers of `source` as `config`'s architecture builds them, and the weight bytes a
    /// token's forward pass reads; a tensor no layer uses is an error. With `quantizer`, float
    /// matrices are quantized as they load.
    static func stack(of source: any TensorSource, config: ModelConfig, quantizer: LoadQuantizer?)
        throws(ModelError) -> (stack: DecoderStack, bytesPerToken: Int)
    {
        var loader = TensorLoader(source: source, quantizer: quantizer)
        let stack = try architecture(named: config.architecture).stack(&loader, config: config)
        try loader.checkAllUsed()
        return (stack, loader.bytesPerToken)
    }
}
