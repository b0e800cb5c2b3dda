/// One tensor of a safetensors file: its element type, shape and where its bytes lie.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Row-major shape, outermost first (PyTorch's order): a weight `W: out x in` is `[out, in]`,
    /// the reverse of GGUF's ne0-first dimensions. Empty for a scalar.
    public let shape: [Int]
    /// Absolute byte offset of the data from the start of the file (the header's `data_offsets`
    /// are relative to the end of the header).
    public let offset: Int
    /// Size of the data in bytes: the element count times the dtype's size.
    public let byteCount: Int

    public init(name: String, dtype: SafetensorsDType, shape: [Int], offset: Int, byteCount: Int) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.offset = offset
        self.byteCount = byteCount
    }

    /// Number of elements (1 for a scalar; the header parser has checked that it does not overflow).
    public var elementCount: Int { shape.reduce(1, *) }
}
