/// Why a GGUF file could not be read or does not hold what the caller needs.
/// Every case names the offending offset, key or tensor so the message alone locates the problem.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or mapped.
    case cannotOpen(path: String, reason: String)
    /// The first four bytes are not `GGUF`.
    case badMagic(found: [UInt8])
    /// Only GGUF versions 2 and 3 are read.
    case unsupportedVersion(UInt32)
    /// A field of `byteCount` bytes starting at `offset` runs past the end of the file.
    case truncated(what: String, offset: Int, byteCount: Int, fileSize: Int)
    /// A count read from the file that the rest of the file cannot hold, each counted thing
    /// taking at least `eachAtLeast` bytes.
    case implausibleCount(what: String, offset: Int, count: UInt64, eachAtLeast: Int, bytesLeft: Int, fileSize: Int)
    /// A metadata value type tag that GGUF does not define.
    case unknownValueType(raw: UInt32, key: String, offset: Int)
    /// A string field holds bytes that are not valid UTF-8.
    case invalidUTF8(what: String, offset: Int)
    /// An array whose elements do not all share one type (the writer cannot encode it).
    case mixedArray(key: String)
    /// The same metadata key appears twice.
    case duplicateKey(String, offset: Int)
    /// `general.alignment` is not a positive power of two.
    case invalidAlignment(Int)
    /// A tensor info is malformed (dimension count, a dimension, the element count).
    case invalidTensorInfo(tensor: String, offset: Int, reason: String)
    /// A tensor type id this reader does not support.
    case unknownTensorType(tensor: String, raw: UInt32, offset: Int)
    /// The same tensor name appears twice.
    case duplicateTensor(String, offset: Int)
    /// A tensor's data offset is not a multiple of the file's alignment.
    case misalignedTensor(tensor: String, offset: Int, alignment: Int)
    /// A tensor's data (absolute `offset`, `byteCount` bytes) runs past the end of the file.
    case tensorOutOfBounds(tensor: String, offset: Int, byteCount: Int, fileSize: Int)
    /// A key the caller requires is absent.
    case missingKey(String)
    /// A key is present but holds another type.
    case keyTypeMismatch(key: String, actual: String, expected: String)
    /// A key holds a value of the right type that is out of the range the caller accepts.
    case invalidValue(key: String, reason: String)
    /// A tensor the caller requires is absent.
    case missingTensor(String)
    /// A tensor's dimensions (ggml order, ne0 first) contradict what the metadata implies.
    case shapeMismatch(tensor: String, expected: [Int], actual: [Int])
    /// A tensor has a type the caller cannot use here.
    case unsupportedTensorType(tensor: String, type: String, reason: String)
    /// The writer was asked for something GGUF cannot express.
    case invalidWriterInput(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open GGUF file \(path): \(reason)"
        case .badMagic(let found):
            let hex = found.map { String($0, radix: 16) }.joined(separator: " ")
            return "not a GGUF file: magic at offset 0 is [\(hex)], expected 'GGUF'"
        case .unsupportedVersion(let v):
            return "unsupported GGUF version \(v) at offset 4 (supported: 2, 3)"
        case .truncated(let what, let offset, let count, let size):
            return "truncated GGUF file: \(what) needs \(count) bytes at offset \(offset), "
                + "but the file has \(size) bytes"
        case .implausibleCount(let what, let offset, let count, let each, let left, let size):
            let unit = each == 1 ? "1 byte" : "at least \(each) bytes"
            return "bad GGUF file: \(what) at offset \(offset) is \(count), but only \(left) bytes follow it "
                + "(of \(size)), room for at most \(left / each) (each takes \(unit)): the file is truncated "
                + "or the count corrupt"
        case .unknownValueType(let raw, let key, let offset):
            return "unknown GGUF value type \(raw) for key '\(key)' at offset \(offset)"
        case .invalidUTF8(let what, let offset):
            return "\(what) at offset \(offset) is not valid UTF-8"
        case .mixedArray(let key):
            return "array for key '\(key)' mixes element types"
        case .duplicateKey(let key, let offset):
            return "duplicate metadata key '\(key)' at offset \(offset)"
        case .invalidAlignment(let a):
            return "general.alignment is \(a), expected a positive power of two"
        case .invalidTensorInfo(let name, let offset, let reason):
            return "tensor '\(name)' info at offset \(offset): \(reason)"
        case .unknownTensorType(let name, let raw, let offset):
            return "tensor '\(name)' has unknown or unsupported ggml type \(raw) (info at offset \(offset))"
        case .duplicateTensor(let name, let offset):
            return "duplicate tensor '\(name)' at offset \(offset)"
        case .misalignedTensor(let name, let offset, let alignment):
            return "tensor '\(name)' data offset \(offset) is not a multiple of the alignment \(alignment)"
        case .tensorOutOfBounds(let name, let offset, let count, let size):
            return "tensor '\(name)' data (\(count) bytes at offset \(offset)) runs past the end "
                + "of the file (\(size) bytes)"
        case .missingKey(let key):
            return "missing metadata key '\(key)'"
        case .keyTypeMismatch(let key, let actual, let expected):
            return "metadata key '\(key)' has type \(actual), expected \(expected)"
        case .invalidValue(let key, let reason):
            return "metadata key '\(key)': \(reason)"
        case .missingTensor(let name):
            return "missing tensor '\(name)'"
        case .shapeMismatch(let name, let expected, let actual):
            return "tensor '\(name)' has shape \(actual), expected \(expected) (ggml order, ne0 first)"
        case .unsupportedTensorType(let name, let type, let reason):
            return "tensor '\(name)' has type \(type): \(reason)"
        case .invalidWriterInput(let reason):
            return "cannot write GGUF: \(reason)"
        }
    }
}
