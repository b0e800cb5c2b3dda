/// A parsed, validated GGUF (v2 or v3) file whose tensor data stays memory-mapped.
///
/// Opening checks every header field, metadata value and tensor info, and that every tensor's
/// data lies aligned inside the file; afterwards `bytes(of:)` hands out raw tensor bytes without
/// copying. Pointers from `bytes(of:)` are valid while this object is alive.
///
/// `@unchecked Sendable`: immutable after `init`; the mapped memory is read-only.
public final class GGUFFile: @unchecked Sendable {
    /// The alignment of tensor data when `general.alignment` is absent.
    public static let defaultAlignment = 32

    public let version: Int
    public let metadata: GGUFMetadata
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment` (or the default 32).
    public let alignment: Int
    /// Absolute offset of the tensor data section.
    public let dataOffset: Int
    /// Size of the whole file in bytes.
    public var fileSize: Int { storage.count }
    /// Where the file came from (the path, or `<memory>`).
    public let source: String

    let storage: FileBytes
    private let tensorIndex: [String: Int]

    /// Opens and validates the file at `path`, mapping it read-only.
    public convenience init(path: String) throws(GGUFError) {
        let storage: FileBytes
        do { storage = try FileBytes(mapping: path) } catch { throw .cannotOpen(path: error.path, reason: error.reason) }
        try self.init(storage: storage, source: path)
    }

    /// Parses a GGUF image held in memory (copied once); for tests and generated models.
    public convenience init(bytes: [UInt8]) throws(GGUFError) {
        try self.init(storage: FileBytes(copying: bytes), source: "<memory>")
    }

    private init(storage: FileBytes, source: String) throws(GGUFError) {
        self.storage = storage
        self.source = source
        let parsed = try GGUFParser.parse(storage.buffer)
        version = parsed.version
        metadata = parsed.metadata
        tensors = parsed.tensors
        alignment = parsed.alignment
        dataOffset = parsed.dataOffset
        var index: [String: Int] = [:]
        for (i, tensor) in parsed.tensors.enumerated() { index[tensor.name] = i }
        tensorIndex = index
    }

    /// The info of a tensor, or nil when the file has none of that name.
    public func tensorIfPresent(_ name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The info of a required tensor.
    public func tensor(_ name: String) throws(GGUFError) -> GGUFTensorInfo {
        guard let info = tensorIfPresent(name) else { throw .missingTensor(name) }
        return info
    }

    /// The info of a required tensor whose dimensions (ggml order, ne0 first) must equal `dimensions`.
    public func tensor(_ name: String, dimensions: [Int]) throws(GGUFError) -> GGUFTensorInfo {
        let info = try tensor(name)
        guard info.dimensions == dimensions else {
            throw .shapeMismatch(tensor: name, expected: dimensions, actual: info.dimensions)
        }
        return info
    }

    /// The raw bytes of a tensor of this file, valid while the file is alive. An info that does
    /// not describe a tensor of this file is refused rather than read out of bounds.
    public func bytes(of tensor: GGUFTensorInfo) throws(GGUFError) -> UnsafeRawBufferPointer {
        guard let i = tensorIndex[tensor.name], tensors[i] == tensor else {
            throw .missingTensor(tensor.name)
        }
        return UnsafeRawBufferPointer(rebasing: storage.buffer[tensor.offset..<(tensor.offset + tensor.byteCount)])
    }

    /// The raw bytes of the required tensor `name`.
    public func bytes(of name: String) throws(GGUFError) -> UnsafeRawBufferPointer {
        try bytes(of: tensor(name))
    }

    /// Lets the memory holding `tensor`'s mapped bytes go (a hint: they stay readable and are
    /// paged in again if touched), or only bytes `range` of them. For tensors the caller has
    /// copied, e.g. repacked weights, so a model does not keep both forms resident.
    public func releaseResidentPages(of tensor: GGUFTensorInfo, within range: Range<Int>? = nil) {
        guard let i = tensorIndex[tensor.name], tensors[i] == tensor else { return }
        storage.releaseResidentPages(ofBytesAt: tensor.offset, count: tensor.byteCount, within: range)
    }

    /// The whole file's bytes (header included), valid while the file is alive.
    public var fileBytes: UnsafeRawBufferPointer { storage.buffer }
}
