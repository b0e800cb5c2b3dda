import Formats
import GenRM

/// One tensor of a model as it is stored, whatever the source: a GGUF tensor info, a
/// safetensors header entry, or a tensor a config.json implies (when a checkpoint directory has
/// no weights yet), so that counts and memory plans are computed once for all three.
public struct StoredTensor: Sendable, Equatable {
    public let name: String
    /// Row-major shape, outermost first (PyTorch's order; GGUF's ne0-first dimensions reversed).
    public let shape: [Int]
    /// The stored type's name: a ggml type (`Q4_K`, `BF16`) or a safetensors dtype (`I64`).
    public let typeName: String
    /// The ggml type of the stored elements, nil for a dtype the engine does not compute with.
    public let ggmlType: GGMLType?
    public let byteCount: Int

    public init(name: String, shape: [Int], typeName: String, ggmlType: GGMLType?, byteCount: Int) {
        self.name = name
        self.shape = shape
        self.typeName = typeName
        self.ggmlType = ggmlType
        self.byteCount = byteCount
    }

    public init(gguf info: GGUFTensorInfo) {
        self.init(name: info.name, shape: info.dimensions.reversed(), typeName: info.type.name, ggmlType: info.type, byteCount: info.byteCount)
    }

    public init(safetensors info: SafetensorsTensorInfo) {
        self.init(name: info.name, shape: info.shape, typeName: info.dtype.rawValue, ggmlType: info.dtype.ggmlType, byteCount: info.byteCount)
    }

    /// A tensor a config implies, as it would be stored in `dtype`.
    init(expected tensor: HFTensorLayout.Tensor, dtype: SafetensorsDType) {
        let elements = tensor.shape.reduce(1) { $0.saturatingMultiplied(by: $1) }
        self.init(
            name: tensor.name, shape: tensor.shape, typeName: dtype.rawValue, ggmlType: dtype.ggmlType,
            byteCount: elements.saturatingMultiplied(by: dtype.byteSize))
    }

    /// Elements (parameters) of the tensor.
    public var elementCount: Int { shape.reduce(1) { $0.saturatingMultiplied(by: $1) } }

    /// Bytes the engine holds for the tensor as stored (`target` nil) or with float weights
    /// quantized to `target` at load: a float matrix in `target`, or in Q8_0 where its rows do not
    /// split into `target`'s blocks (llama.cpp likewise falls back for rows that are not a
    /// multiple of 256), or as stored where they split into neither. A matrix in the layout the
    /// engine keeps (`WeightMatrix.residentByteCount`: where the platform's kernels read an
    /// interleaved copy, a matmul matrix's interleaved bytes); vectors and other tensors as stored.
    public func residentByteCount(quantizedTo target: GGMLType?, forMatmul: Bool) -> Int {
        guard let stored = ggmlType, shape.count == 2 else { return byteCount }
        let type = target.flatMap { LoadQuantizer.quantizedType(of: stored, shape: shape, target: $0) } ?? stored
        return WeightMatrix.residentByteCount(stored: type, rows: shape[0], cols: shape[1], forMatmul: forMatmul) ?? byteCount
    }
}
