/// One validated safetensors file whose tensor data stays memory-mapped (shared with `GGUFFile`
/// through `FileBytes`). Pointers from `bytes(of:)` are valid while this object is alive.
///
/// `@unchecked Sendable`: immutable after `init`; the mapped memory is read-only.
public final class SafetensorsFile: @unchecked Sendable {
    /// Where the file came from (the path, or `<memory>`), as errors name it.
    public let source: String
    /// Tensor infos in data order.
    public let tensors: [SafetensorsTensorInfo]
    /// The header's `__metadata__` (empty when absent).
    public let metadata: [String: String]
    /// Size of the whole file in bytes.
    public var fileSize: Int { storage.count }

    private let storage: FileBytes
    private let tensorIndex: [String: Int]

    /// Opens and validates the file at `path`, mapping it read-only.
    public convenience init(path: String) throws(SafetensorsError) {
        let storage: FileBytes
        do { storage = try FileBytes(mapping: path) } catch { throw .cannotOpen(path: error.path, reason: error.reason) }
        try self.init(storage: storage, source: path)
    }

    /// Parses a safetensors image held in memory (copied once); for tests and fuzzing.
    public convenience init(bytes: [UInt8]) throws(SafetensorsError) {
        try self.init(storage: FileBytes(copying: bytes), source: "<memory>")
    }

    private init(storage: FileBytes, source: String) throws(SafetensorsError) {
        self.storage = storage
        self.source = source
        let header = try SafetensorsHeaderParser.parse(storage.buffer, file: source)
        tensors = header.tensors
        metadata = header.metadata
        var index: [String: Int] = [:]
        for (i, tensor) in header.tensors.enumerated() { index[tensor.name] = i }
        tensorIndex = index
    }

    /// The info of a tensor, or nil when the file has none of that name.
    public func tensorIfPresent(_ name: String) -> SafetensorsTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The raw bytes of a tensor of this file (little-endian elements, row-major), valid while
    /// the file is alive. An info that does not describe a tensor of this file is refused
    /// rather than read out of bounds.
    public func bytes(of tensor: SafetensorsTensorInfo) throws(SafetensorsError) -> UnsafeRawBufferPointer {
        guard let i = tensorIndex[tensor.name], tensors[i] == tensor else {
            throw .missingTensor(tensor: tensor.name, checkpoint: source)
        }
        return UnsafeRawBufferPointer(rebasing: storage.buffer[tensor.offset..<(tensor.offset + tensor.byteCount)])
    }

    /// Lets the memory holding `tensor`'s mapped bytes go (a hint: they stay readable and are
    /// paged in again if touched), or only bytes `range` of them, for a tensor the caller has
    /// copied (quantized at load, the rows already done as it goes).
    public func releaseResidentPages(of tensor: SafetensorsTensorInfo, within range: Range<Int>? = nil) {
        guard let i = tensorIndex[tensor.name], tensors[i] == tensor else { return }
        storage.releaseResidentPages(ofBytesAt: tensor.offset, count: tensor.byteCount, within: range)
    }
}
