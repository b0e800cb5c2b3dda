import Formats
import GenRM

/// What a model takes in memory: its weights as the engine holds them, stored or quantized at
/// load (matmul matrices in the layout the kernels read: on x86-64 Linux their interleaved copy,
/// 3% larger than Q4_K's rows and 6% than Q8_0's), and the KV cache (the engine's, in F16) per
/// token and at a context length.
public struct MemoryPlan: Sendable, Equatable {
    /// The types the engine can quantize float weights to as it loads them.
    public static let quantizationChoices: [GGMLType] = LoadQuantizer.choices

    public struct QuantizedWeights: Sendable, Equatable {
        public let type: GGMLType
        public let bytes: Int
    }

    /// The weights' bytes loaded as stored (memory-mapped, so resident once touched; quantized
    /// matmul matrices in the kernels' layout).
    public let weightBytesAsStored: Int
    /// The weights' bytes for each of `quantizationChoices`, in the kernels' layout.
    public let weightBytesQuantized: [QuantizedWeights]
    /// Keys and values of one position over all layers with attention (no-op and linear layers
    /// cache nothing), as the engine's `KVCache` holds them.
    public let kvBytesPerToken: Int
    /// The context length the KV total is given at.
    public let contextLength: Int
    /// The KV cache of one sequence of `contextLength` tokens.
    public let kvBytesAtContext: Int

    public init(config: ModelConfig, tensors: [StoredTensor], contextLength: Int) {
        let lookupTable = Self.lookupTable(in: tensors)
        func total(_ target: GGMLType?) -> Int {
            tensors.reduce(0) { $0.saturatingAdding($1.residentByteCount(quantizedTo: target, forMatmul: $1.name != lookupTable)) }
        }
        weightBytesAsStored = total(nil)
        weightBytesQuantized = Self.quantizationChoices.map { QuantizedWeights(type: $0, bytes: total($0)) }
        kvBytesPerToken = KVCache(config: config, maxLength: 1).bytesPerPosition
        self.contextLength = contextLength
        kvBytesAtContext = kvBytesPerToken.saturatingMultiplied(by: contextLength)
    }

    /// The token embedding when an output matrix is stored beside it (untied): the engine only
    /// looks its rows up, with no copy for the matmul kernels (`Llama.stack`).
    static func lookupTable(in tensors: [StoredTensor]) -> String? {
        let names = Set(tensors.map(\.name))
        let pairs = [(TensorNames.tokenEmbedding, TensorNames.output), (HFTensorLayout.embeddingName, HFTensorLayout.outputName)]
        return pairs.first { names.contains($0.0) && names.contains($0.1) }?.0
    }
}
