import Formats
import GenRM

/// What a model takes in memory: its weights resident as stored and as they would be if
/// quantized at load, and the KV cache (the engine's, in F16) per token and at a context length.
public struct MemoryPlan: Sendable, Equatable {
    /// The types the engine can quantize float weights to as it loads them.
    public static let quantizationChoices: [GGMLType] = LoadQuantizer.choices

    public struct QuantizedWeights: Sendable, Equatable {
        public let type: GGMLType
        public let bytes: Int
    }

    /// Every tensor's bytes as stored (memory-mapped, so resident once touched).
    public let weightBytesAsStored: Int
    /// The weights' bytes for each of `quantizationChoices`.
    public let weightBytesQuantized: [QuantizedWeights]
    /// Keys and values of one position over all layers with attention (no-op and linear layers
    /// cache nothing), as the engine's `KVCache` holds them.
    public let kvBytesPerToken: Int
    /// The context length the KV total is given at.
    public let contextLength: Int
    /// The KV cache of one sequence of `contextLength` tokens.
    public let kvBytesAtContext: Int

    public init(config: ModelConfig, tensors: [StoredTensor], contextLength: Int) {
        weightBytesAsStored = tensors.reduce(0) { $0.saturatingAdding($1.byteCount) }
        weightBytesQuantized = Self.quantizationChoices.map { type in
            QuantizedWeights(type: type, bytes: tensors.reduce(0) { $0.saturatingAdding($1.byteCount(quantizedTo: type)) })
        }
        kvBytesPerToken = KVCache(config: config, maxLength: 1).bytesPerPosition
        self.contextLength = contextLength
        kvBytesAtContext = kvBytesPerToken.saturatingMultiplied(by: contextLength)
    }
}
