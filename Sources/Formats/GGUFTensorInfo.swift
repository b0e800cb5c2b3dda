/// One tensor described by a GGUF file: where its data lies and how to read it.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// Dimensions in ggml order: `dimensions[0]` (ne0) is the row length, the contiguous one.
    /// A weight matrix `W: out x in` is stored as `[in, out]`.
    public let dimensions: [Int]
    public let type: GGMLType
    /// Absolute byte offset of the data from the start of the file.
    public let offset: Int
    /// Size of the data in bytes.
    public let byteCount: Int

    public init(name: String, dimensions: [Int], type: GGMLType, offset: Int, byteCount: Int) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.byteCount = byteCount
    }

    /// Total number of elements.
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Elements per row (ne0).
    public var rowLength: Int { dimensions.first ?? 1 }

    /// Number of rows: the product of every dimension after ne0.
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }

    /// Bytes of one row (ne0 elements).
    public var rowByteCount: Int { rowCount == 0 ? 0 : byteCount / rowCount }
}
