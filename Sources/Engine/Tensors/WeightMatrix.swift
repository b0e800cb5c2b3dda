import Formats
import GenRM

/// A 2-D weight tensor used as a linear layer: `rows` output features, each a row of `cols`
/// input features stored contiguously in `type` blocks (GGUF dimensions `[cols, rows]`).
///
/// The bytes stay where they are (usually in the mapped GGUF file); `owner` keeps them alive.
/// `@unchecked Sendable`: the bytes are never written, and `owner` outlives every use.
public struct WeightMatrix: @unchecked Sendable {
    public let name: String
    /// The type the kernels read (Q5_0 is held as Q8_0, see `storedType`).
    public let type: GGMLType
    /// The type in the file.
    public let storedType: GGMLType
    /// Output features (ne1).
    public let rows: Int
    /// Input features (ne0), a multiple of `type.blockSize`.
    public let cols: Int
    /// Bytes of one row.
    public let rowByteCount: Int
    /// Row 0, block 0.
    public let base: UnsafeRawPointer
    private let owner: AnyObject
    /// Whole groups of 8 rows interleaved for the platform's matvec kernels, where it has them.
    let interleaved: InterleavedRows?

    /// The 2-D tensor `name` of `source`; a 1-D tensor is a single row. `forMatmul: false` (an
    /// untied embedding, read a row at a time) skips the copy the matmul kernels read.
    public init(source: any TensorSource, name: String, forMatmul: Bool = true) throws(TensorError) {
        guard let tensor = source.sourceTensor(name) else { throw .file(.missingTensor(name)) }
        guard tensor.dimensions.count <= 2 else {
            throw .badShape(tensor: name, dimensions: tensor.dimensions, reason: "a weight matrix must be 1-D or 2-D")
        }
        try self.init(name: name, type: tensor.type, rows: tensor.rowCount, cols: tensor.rowLength,
                      bytes: tensor.bytes, owner: source, forMatmul: forMatmul)
        // The matmuls read the repacked copy; the mapped original is paged in again only for
        // what still reads it (embedding rows, rows past the last whole group).
        if interleaved != nil || storedType != type { source.releaseResidentPages(of: name) }
    }

    /// The 2-D tensor `name` of a GGUF file (see `init(source:name:forMatmul:)`).
    public init(file: GGUFFile, name: String, forMatmul: Bool = true) throws(TensorError) {
        try self.init(source: file, name: name, forMatmul: forMatmul)
    }

    /// A matrix over encoded bytes the caller made (weights quantized at load): `bytes` holds
    /// `rows` rows of `cols` elements in `type` and lives as long as `owner`, which the matrix keeps.
    init(name: String, type: GGMLType, rows: Int, cols: Int, bytes: UnsafeRawPointer, byteCount: Int, owner: AnyObject,
         forMatmul: Bool) throws(TensorError) {
        try self.init(name: name, type: type, rows: rows, cols: cols,
                      bytes: UnsafeRawBufferPointer(start: bytes, count: byteCount), owner: owner, forMatmul: forMatmul)
    }

    /// The tensor `name` of `file`, which must have exactly `rows` rows of `cols` features
    /// (GGUF dimensions `[cols, rows]`); otherwise a shape error naming the tensor.
    public init(file: GGUFFile, name: String, rows: Int, cols: Int) throws(TensorError) {
        try self.init(file: file, name: name)
        guard self.rows == rows, self.cols == cols else {
            throw .file(.shapeMismatch(tensor: name, expected: [cols, rows], actual: [self.cols, self.rows]))
        }
    }

    /// A matrix over a copy of already-encoded `data` (e.g. from `quantizeReference` or random
    /// blocks in tests).
    public init(name: String = "<memory>", type: GGMLType, rows: Int, cols: Int, data: [UInt8]) throws(TensorError) {
        let storage = OwnedBytes(data)
        try self.init(name: name, type: type, rows: rows, cols: cols,
                      bytes: UnsafeRawBufferPointer(start: storage.base, count: data.count), owner: storage)
    }

    private init(name: String, type stored: GGMLType, rows: Int, cols: Int, bytes: UnsafeRawBufferPointer,
                 owner storedOwner: AnyObject, forMatmul: Bool = true) throws(TensorError) {
        guard rows > 0, let storedRowBytes = stored.rowByteCount(elements: cols) else {
            throw .badShape(tensor: name, dimensions: [cols, rows],
                            reason: "rows must be positive and the row length a multiple of \(stored.blockSize) for \(stored)")
        }
        let (needed, overflow) = storedRowBytes.multipliedReportingOverflow(by: rows)
        guard !overflow, needed == bytes.count, let storedStart = bytes.baseAddress else {
            throw .sizeMismatch("tensor '\(name)' \(stored) [\(cols), \(rows)] needs \(storedRowBytes) x \(rows) bytes, has \(bytes.count)")
        }
        let type = Self.kernelType(of: stored), rowBytes: Int, start: UnsafeRawPointer, owner: AnyObject
        if type != stored {
            // Q5_0 held as Q8_0 (exact): 1.5x the bytes, on the Q8_0 kernels.
            let blocks = needed / stored.bytesPerBlock
            let converted = OwnedBytes(byteCount: blocks * GGMLType.q8_0.bytesPerBlock)
            for b in 0..<blocks {
                Q5_0Block.toQ8_0(storedStart + b * stored.bytesPerBlock, into: converted.base + b * GGMLType.q8_0.bytesPerBlock)
            }
            (rowBytes, start, owner) = (cols / 32 * GGMLType.q8_0.bytesPerBlock, UnsafeRawPointer(converted.base), converted)
        } else {
            (rowBytes, start, owner) = (storedRowBytes, storedStart, storedOwner)
        }
        self.name = name
        self.storedType = stored
        self.type = type
        self.rows = rows
        self.cols = cols
        self.rowByteCount = rowBytes
        self.base = start
        self.owner = owner
        interleaved = forMatmul && Self.interleaves
            ? InterleavedRows(type: type, rows: rows, cols: cols, source: start, rowByteCount: rowBytes) : nil
    }

    /// Whether this platform's matvec kernels read interleaved copies (`InterleavedRows`).
    #if arch(x86_64) && os(Linux)
    static let interleaves = true
    #else
    static let interleaves = false
    #endif

    /// The type the kernels read for a matrix stored as `stored`: Q5_0 is held as Q8_0.
    static func kernelType(of stored: GGMLType) -> GGMLType { stored == .q5_0 ? .q8_0 : stored }

    /// Bytes one matmul streams: the repacked groups and the rows past them, or every row.
    public var matmulByteCount: Int {
        Self.residentByteCount(stored: type, rows: rows, cols: cols, forMatmul: interleaved != nil) ?? rows * rowByteCount
    }

    /// Bytes the engine holds for a `rows x cols` matrix stored as `stored` once forward passes
    /// have read it: the kernels' interleaved copy and the rows past its last group for a matmul
    /// matrix where this platform interleaves (the stored or spilled row layout is let go), else
    /// every row in the kernels' type (a lookup table's rows are resident once looked up). Nil
    /// for a shape `stored` cannot hold. `matmulByteCount` of the loaded matrix, planned.
    public static func residentByteCount(stored: GGMLType, rows: Int, cols: Int, forMatmul: Bool) -> Int? {
        let type = kernelType(of: stored)
        guard let rowBytes = type.rowByteCount(elements: cols) else { return nil }
        guard forMatmul, interleaves, let (groups, groupBytes) = InterleavedRows.shape(type: type, rows: rows, cols: cols) else {
            return rowBytes.saturatingMultiplied(by: rows)
        }
        return groups.saturatingMultiplied(by: groupBytes)
            .saturatingAdding((rows - InterleavedRows.rowsPerGroup * groups).saturatingMultiplied(by: rowBytes))
    }

    /// The encoded bytes of row `r` (callers check `r < rows`).
    @inlinable
    public func rowPointer(_ r: Int) -> UnsafeRawPointer {
        base + r * rowByteCount
    }

    /// Scalar reference dequantisation of row `r`.
    public func dequantizedRowReference(_ r: Int) throws(TensorError) -> [Float] {
        guard (0..<rows).contains(r) else { throw .rowOutOfRange(tensor: name, row: r, rows: rows) }
        return try type.dequantizeReference(row: UnsafeRawBufferPointer(start: rowPointer(r), count: rowByteCount))
    }
}

/// Heap bytes aligned for SIMD loads, freed with the last matrix that uses them.
/// `@unchecked Sendable`: written only in `init`.
final class OwnedBytes: @unchecked Sendable {
    let base: UnsafeMutableRawPointer

    init(byteCount: Int) {
        base = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
    }

    init(_ data: [UInt8]) {
        base = UnsafeMutableRawPointer.allocate(byteCount: max(data.count, 1), alignment: 64)
        data.withUnsafeBytes { source in
            if let from = source.baseAddress { base.copyMemory(from: from, byteCount: source.count) }
        }
    }

    deinit { base.deallocate() }
}
