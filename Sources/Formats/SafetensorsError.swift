/// Why a safetensors file or a checkpoint directory of them could not be read. Every case names
/// the file and, where there is one, the tensor, so the message alone locates the problem.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or mapped.
    case cannotOpen(path: String, reason: String)
    /// The file is shorter than the 8-byte header length.
    case truncated(file: String, fileSize: Int)
    /// The header length (bytes 0-7) runs past the end of the file or beyond what is plausible.
    case headerTooLong(file: String, headerLength: UInt64, fileSize: Int)
    /// The header is not a JSON object of tensor entries.
    case invalidHeader(file: String, reason: String)
    /// A tensor's entry lacks a field or holds one of the wrong kind.
    case invalidTensorEntry(file: String, tensor: String, problem: String)
    /// A dtype the safetensors format does not define.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// `data_offsets` are reversed or reach outside the data section (`dataSize` bytes).
    case offsetsOutOfBounds(file: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    /// The bytes between the offsets are not what the shape and dtype take.
    case byteCountMismatch(file: String, tensor: String, dtype: SafetensorsDType, shape: [Int], expected: Int, actual: Int)
    /// Two tensors' data overlap.
    case overlappingTensors(file: String, first: String, second: String)
    /// Bytes `begin..<end` of the data section belong to no tensor: a gap before tensor `before`,
    /// or (nil) bytes after the last tensor.
    case uncoveredData(file: String, begin: Int, end: Int, before: String?)
    /// `model.safetensors.index.json` is not a JSON object with a `weight_map` of file names.
    case invalidIndex(file: String, problem: String)
    /// A shard the index lists (for `tensor`, among others) is not in the directory.
    case missingShard(index: String, shard: String, tensor: String)
    /// The index places `tensor` in `shard`, whose header has no such tensor.
    case tensorNotInShard(index: String, shard: String, tensor: String)
    /// A shard holds a tensor the index does not list for it.
    case tensorNotInIndex(index: String, shard: String, tensor: String)
    /// A tensor the caller requires is in none of the checkpoint's files.
    case missingTensor(tensor: String, checkpoint: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open safetensors file \(path): \(reason)"
        case .truncated(let file, let size):
            return "\(file): not a safetensors file: \(size) bytes, shorter than the 8-byte header length"
        case .headerTooLong(let file, let length, let size):
            return length > UInt64(SafetensorsHeaderParser.maximumHeaderLength)
                ? "\(file): safetensors header length \(length) is over the format's limit of \(SafetensorsHeaderParser.maximumHeaderLength) bytes"
                : "\(file): safetensors header length \(length) runs past the end of the file (\(size) bytes)"
        case .invalidHeader(let file, let reason):
            return "\(file): invalid safetensors header: \(reason)"
        case .invalidTensorEntry(let file, let tensor, let problem):
            return "\(file): tensor '\(tensor)': \(problem)"
        case .unknownDType(let file, let tensor, let dtype):
            return "\(file): tensor '\(tensor)' has unknown dtype '\(dtype)' (known: "
                + SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case .offsetsOutOfBounds(let file, let tensor, let begin, let end, let size):
            return "\(file): tensor '\(tensor)' data_offsets [\(begin), \(end)] lie outside the data section "
                + "of \(size) bytes"
        case .byteCountMismatch(let file, let tensor, let dtype, let shape, let expected, let actual):
            return "\(file): tensor '\(tensor)' (\(dtype) \(shape)) takes \(expected) bytes, but its data_offsets "
                + "span \(actual)"
        case .overlappingTensors(let file, let first, let second):
            return "\(file): the data of tensors '\(first)' and '\(second)' overlap"
        case .uncoveredData(let file, let begin, let end, let before):
            let place = before.map { "before tensor '\($0)'" } ?? "after the last tensor"
            return "\(file): bytes [\(begin), \(end)) of the data section \(place) belong to no tensor "
                + "(safetensors data is contiguous)"
        case .invalidIndex(let file, let problem):
            return "\(file): invalid safetensors index: \(problem)"
        case .missingShard(let index, let shard, let tensor):
            return "\(index) places tensor '\(tensor)' in \(shard), which is missing"
        case .tensorNotInShard(let index, let shard, let tensor):
            return "\(index) places tensor '\(tensor)' in \(shard), which has no such tensor"
        case .tensorNotInIndex(let index, let shard, let tensor):
            return "\(shard) holds tensor '\(tensor)', which \(index) does not list for that file"
        case .missingTensor(let tensor, let checkpoint):
            return "missing tensor '\(tensor)' in \(checkpoint)"
        }
    }
}
