import Foundation
import Formats
import GenRM

/// What `genrm inspect` reports of a model without loading it: its description (the same
/// `ModelConfig` the engine runs on), its tensors as stored, their parameter and byte counts,
/// and its memory plan. Reads a GGUF file, or a Hugging Face checkpoint directory (tensors from
/// the safetensors headers when there are weights, else as the config.json implies them).
public struct ModelInspection: Sendable {
    /// Where the tensors were counted from.
    public enum TensorSource: Sendable, Equatable {
        /// The tensor infos of a GGUF file.
        case gguf
        /// The headers of a checkpoint's safetensors files (how many).
        case safetensors(files: Int)
        /// A checkpoint without weights: the tensors its config implies, in `dtype`; `stated`
        /// is false where config.json has no `torch_dtype` and F32 (transformers' default) is assumed.
        case config(dtype: SafetensorsDType, stated: Bool)
    }

    /// Bytes and counts of the tensors of one stored type.
    public struct TypeTotal: Sendable, Equatable {
        public let typeName: String
        public let tensors: Int
        public let elements: Int
        public let bytes: Int
    }

    public let path: String
    /// HF `model_type` for a checkpoint directory, nil for a GGUF file.
    public let modelType: String?
    public let config: ModelConfig
    public let tensors: [StoredTensor]
    public let tensorSource: TensorSource
    /// A checkpoint's generation_config.json fields (reported, not applied); nil for GGUF or when absent.
    public let generationDefaults: HFGenerationDefaults?

    /// Inspects the GGUF file or checkpoint directory at `path`.
    public init(path: String) throws(ModelError) {
        self.path = path
        if HFCheckpoint.isCheckpoint(path) {
            let checkpoint = try HFCheckpoint(directory: path)
            modelType = checkpoint.config.modelType
            generationDefaults = checkpoint.generationDefaults
            config = checkpoint.config.model
            if let weights = checkpoint.weights {
                tensors = weights.tensors.map(StoredTensor.init(safetensors:))
                tensorSource = .safetensors(files: weights.files.count)
            } else {
                let dtype = checkpoint.config.storedDType ?? .f32
                tensors = checkpoint.expectedTensors.map { StoredTensor(expected: $0, dtype: dtype) }
                tensorSource = .config(dtype: dtype, stated: checkpoint.config.storedDType != nil)
            }
        } else {
            let file: GGUFFile
            do { file = try GGUFFile(path: path) } catch { throw .file(error) }
            modelType = nil
            generationDefaults = nil
            config = try ArchitectureRegistry.config(of: file)
            tensors = file.tensors.map(StoredTensor.init(gguf:))
            tensorSource = .gguf
        }
    }

    /// Elements of every tensor.
    public var parameterCount: Int { tensors.reduce(0) { $0.saturatingAdding($1.elementCount) } }

    /// Totals per stored type, most bytes first.
    public var typeTotals: [TypeTotal] {
        Dictionary(grouping: tensors, by: \.typeName)
            .map { name, group in
                TypeTotal(
                    typeName: name, tensors: group.count,
                    elements: group.reduce(0) { $0.saturatingAdding($1.elementCount) },
                    bytes: group.reduce(0) { $0.saturatingAdding($1.byteCount) })
            }
            .sorted { ($0.bytes, $1.typeName) > ($1.bytes, $0.typeName) }
    }

    /// Layers with attention, which alone hold keys and values.
    public var attentionLayerCount: Int { config.attentionLayerIndices.count }

    /// The memory plan at `contextLength` tokens (default: the model's context length).
    public func memoryPlan(contextLength: Int? = nil) -> MemoryPlan {
        MemoryPlan(config: config, tensors: tensors, contextLength: contextLength ?? config.contextLength)
    }
}
