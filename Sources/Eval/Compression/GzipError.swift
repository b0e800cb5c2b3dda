/// Why compressed data could not be decompressed; offsets count bytes from the start of the
/// input (gzip) or of the deflate stream (raw inflate).
public enum GzipError: Error, Sendable, Hashable, CustomStringConvertible {
    case truncated(offset: Int)
    case notGzip(offset: Int)
    case unsupportedMethod(offset: Int, method: UInt8)
    case reservedFlags(offset: Int, flags: UInt8)
    /// zlib refused the deflate stream starting at `offset` (a bad block type, code, length or
    /// distance).
    case invalidDeflate(offset: Int)
    case checksumMismatch(offset: Int, expected: UInt32, computed: UInt32)
    case sizeMismatch(offset: Int, expected: UInt32, computed: UInt32)

    public var description: String {
        switch self {
        case .truncated(let offset): "compressed data ends early at byte \(offset)"
        case .notGzip(let offset): "byte \(offset): not a gzip member (magic bytes 1f 8b missing)"
        case .unsupportedMethod(let offset, let method): "byte \(offset): compression method \(method) is not deflate (8)"
        case .reservedFlags(let offset, let flags): "byte \(offset): reserved gzip flag bits set (flags \(flags))"
        case .invalidDeflate(let offset): "byte \(offset): the deflate stream starting here is invalid (zlib: data error)"
        case .checksumMismatch(let offset, let expected, let computed):
            "byte \(offset): CRC-32 mismatch: trailer says \(hex(expected)), data gives \(hex(computed))"
        case .sizeMismatch(let offset, let expected, let computed):
            "byte \(offset): size mismatch: trailer says \(expected) bytes (mod 2^32), data gives \(computed)"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
