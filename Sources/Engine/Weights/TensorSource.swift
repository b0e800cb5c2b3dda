import Formats

/// Where a model's weights come from, by the engine's tensor names (llama.cpp's GGUF names,
/// `blk.0.attn_q.weight`, see `TensorNames`): a GGUF file as it is, or a Hugging Face checkpoint
/// whose transformers names `HFTensorSource` maps onto them. The architectures load through this
/// one seam (`TensorLoader`), so a model is built by the same code whatever file it came from.
///
/// A tensor's bytes stay where the source keeps them (memory-mapped): valid while the source is
/// alive, never written.
public protocol TensorSource: AnyObject, Sendable {
    /// The file or directory, as errors name it.
    var origin: String { get }
    /// Every tensor the source holds, by engine name (a tensor no layer reads is an error).
    var tensorNames: [String] { get }
    /// The tensor the engine calls `name`, or nil when the source has none.
    func sourceTensor(_ name: String) -> SourceTensor?
    /// Lets the resident pages of `name`'s mapped bytes go (a hint: they stay readable), or of
    /// its bytes `range` only, for a tensor the loader has copied (repacked or quantized).
    func releaseResidentPages(of name: String, within range: Range<Int>?)
}

extension TensorSource {
    /// Lets all of `name`'s resident pages go.
    public func releaseResidentPages(of name: String) { releaseResidentPages(of: name, within: nil) }
}

/// One tensor of a `TensorSource`: its type, shape and bytes as the engine reads them.
public struct SourceTensor: @unchecked Sendable {
    /// The engine's name.
    public let name: String
    /// The name in the file (a safetensors tensor's transformers name), for messages.
    public let storedName: String
    /// Dimensions in ggml order, ne0 (the contiguous row length) first: a weight `W: out x in` is
    /// `[in, out]`, whose bytes are those of a row-major `[out, in]` array.
    public let dimensions: [Int]
    public let type: GGMLType
    /// The encoded elements, row after row.
    public let bytes: UnsafeRawBufferPointer

    public init(name: String, storedName: String, dimensions: [Int], type: GGMLType, bytes: UnsafeRawBufferPointer) {
        self.name = name
        self.storedName = storedName
        self.dimensions = dimensions
        self.type = type
        self.bytes = bytes
    }

    /// Elements per row (ne0).
    public var rowLength: Int { dimensions.first ?? 1 }
    /// Rows: the product of every dimension after ne0.
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }
}

/// A GGUF file is a tensor source under its own names.
extension GGUFFile: TensorSource {
    public var origin: String { source }

    public var tensorNames: [String] { tensors.map(\.name) }

    public func sourceTensor(_ name: String) -> SourceTensor? {
        guard let info = tensorIfPresent(name), let bytes = try? bytes(of: info) else { return nil }
        return SourceTensor(name: name, storedName: name, dimensions: info.dimensions, type: info.type, bytes: bytes)
    }

    public func releaseResidentPages(of name: String, within range: Range<Int>?) {
        if let info = tensorIfPresent(name) { releaseResidentPages(of: info, within: range) }
    }
}
