import Formats

/// Why tensor data could not be decoded or used by a kernel.
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A byte count that is not a whole number of blocks of the type.
    case notWholeBlocks(type: GGMLType, byteCount: Int)
    /// An element count that is not a multiple of the type's block size.
    case elementCountNotBlockMultiple(type: GGMLType, count: Int)
    /// A tensor whose shape does not fit the use (e.g. a matrix that is not 2-D).
    case badShape(tensor: String, dimensions: [Int], reason: String)
    /// A row index outside the matrix.
    case rowOutOfRange(tensor: String, row: Int, rows: Int)
    /// Buffers whose sizes do not match the matrix.
    case sizeMismatch(String)
    /// A value that cannot be quantised (NaN or infinite), at its index.
    case nonFinite(index: Int)
    /// The type has no quantiser here.
    case unsupportedType(type: GGMLType, operation: String)
    /// The underlying file refused the tensor.
    case file(GGUFError)

    public var description: String {
        switch self {
        case .notWholeBlocks(let type, let count):
            return "\(count) bytes are not a whole number of \(type) blocks (\(type.bytesPerBlock) bytes each)"
        case .elementCountNotBlockMultiple(let type, let count):
            return "\(count) elements are not a multiple of the \(type) block size \(type.blockSize)"
        case .badShape(let name, let dimensions, let reason):
            return "tensor '\(name)' with dimensions \(dimensions): \(reason)"
        case .rowOutOfRange(let name, let row, let rows):
            return "row \(row) of tensor '\(name)' is out of range 0..<\(rows)"
        case .sizeMismatch(let reason):
            return "size mismatch: \(reason)"
        case .nonFinite(let index):
            return "value at index \(index) is not finite"
        case .unsupportedType(let type, let operation):
            return "\(operation) is not supported for \(type)"
        case .file(let error):
            return error.description
        }
    }
}
