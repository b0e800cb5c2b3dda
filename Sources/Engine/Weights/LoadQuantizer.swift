import Foundation
import Formats
import GenRM

/// Quantizes float weight matrices (F32, F16, BF16) into one of the engine's types as a model
/// loads (`--quantize q8_0|q4_k`), row by row over the thread pool with `RowQuantizer` (C, ggml's
/// rounding byte for byte, the twin of `GGMLType.quantizeReference`; loading BF16 on one core,
/// about 175 MB a second to Q4_K with AVX2 (half that from the portable build) and 300 to 500 MB
/// to Q8_0, where the Swift reference did 16 and 250). Vectors (norms, biases) and matrices
/// already quantized stay as stored. The quantized bytes live in a temporary file mapped like a
/// GGUF's (`SpilledBytes`), resident only where read; the mapped float bytes are let go a chunk of
/// rows at a time as they are quantized.
///
/// A class: it counts what it did for the load line (`summary`); used by one loading thread.
public final class LoadQuantizer {
    /// The types `--quantize` offers.
    public static let choices: [GGMLType] = [.q8_0, .q4_K]

    public let target: GGMLType
    let pool: ThreadPool
    public private(set) var matrices = 0
    public private(set) var bytesRead = 0
    public private(set) var bytesWritten = 0
    /// Matrices whose rows do not split into `target`'s blocks and went to Q8_0 instead.
    public private(set) var fallbacks = 0
    public private(set) var seconds = 0.0

    public init(target: GGMLType, pool: ThreadPool = .shared) throws(ModelError) {
        guard Self.choices.contains(target) else {
            throw .invalidConfig(
                key: "quantize", reason: "genrm quantizes at load to \(Self.choices.map(\.name).joined(separator: " or ")), not \(target.name)")
        }
        self.target = target
        self.pool = pool
    }

    /// The type a stored tensor becomes when quantizing to `target` at load: `target` for a float
    /// matrix whose rows split into its blocks, else Q8_0 where they split into 32s (llama.cpp
    /// falls back likewise), else nil (kept as stored), as for anything that is not a float matrix.
    public static func quantizedType(of stored: GGMLType, shape: [Int], target: GGMLType) -> GGMLType? {
        guard shape.count == 2, [.f32, .f16, .bf16].contains(stored), let rowLength = shape.last else { return nil }
        return [target, .q8_0].first { $0.rowByteCount(elements: rowLength) != nil }
    }

    /// `tensor` of `source` quantized, or nil when it stays as stored. Its mapped float bytes are
    /// let go a chunk of rows at a time as they are quantized, so that at most a few chunks of
    /// them are resident beside the matrix being built.
    func quantize(_ tensor: SourceTensor, from tensorSource: any TensorSource, forMatmul: Bool) throws(ModelError) -> WeightMatrix? {
        guard let type = Self.quantizedType(of: tensor.type, shape: tensor.dimensions.reversed(), target: target) else { return nil }
        let origin = tensorSource.origin
        let start = ContinuousClock.now
        let rows = tensor.rowCount, cols = tensor.rowLength
        guard let sourceRowBytes = tensor.type.rowByteCount(elements: cols), let rowBytes = type.rowByteCount(elements: cols),
            sourceRowBytes * rows == tensor.bytes.count, let source = tensor.bytes.baseAddress
        else {
            throw .checkpointTensor(file: origin, tensor: tensor.storedName, problem: "has \(tensor.bytes.count) bytes, not \(tensor.type) \(tensor.dimensions)")
        }
        let byteCount = rows * rowBytes
        let spilled = SpilledBytes(byteCount: byteCount)
        let heap = spilled == nil ? OwnedBytes(byteCount: byteCount) : nil
        let destination = spilled?.base ?? heap!.base
        let failure = FirstFailure()
        // Chunks of rows, so threads do not share cache lines of the output.
        let chunk = 16, chunks = (rows + chunk - 1) / chunk
        pool.parallelFor(chunks) { c in
            let chunkRows = (c * chunk)..<min(rows, (c + 1) * chunk)
            for r in chunkRows {
                do throws(TensorError) {
                    try RowQuantizer.quantize(source + r * sourceRowBytes, of: tensor.type, count: cols, to: type, into: destination + r * rowBytes)
                } catch {
                    failure.record(row: r, error)
                }
            }
            tensorSource.releaseResidentPages(
                of: tensor.name, within: (chunkRows.lowerBound * sourceRowBytes)..<(chunkRows.upperBound * sourceRowBytes))
        }
        if let (row, error) = failure.first {
            throw .checkpointTensor(file: origin, tensor: tensor.storedName, problem: "row \(row) cannot be quantized to \(type.name): \(error)")
        }
        let matrix: WeightMatrix
        do {
            matrix = try WeightMatrix(
                name: tensor.name, type: type, rows: rows, cols: cols, bytes: UnsafeRawPointer(destination), byteCount: byteCount,
                owner: spilled ?? heap!, forMatmul: forMatmul)
        } catch { throw .tensor(error) }
        // The kernels read the interleaved copy; a lookup table reads a row at a time: either way
        // the row layout need not stay resident.
        spilled?.releaseResidentPages()
        matrices += 1
        if type != target { fallbacks += 1 }
        bytesRead += tensor.bytes.count
        bytesWritten += rows * rowBytes
        seconds += start.duration(to: .now).seconds
        return matrix
    }

    /// For the load line: "quantized 290 matrices (1.2 GiB of BF16 and F32) to Q8_0 in 3.1s".
    public var summary: String {
        let fallback = fallbacks > 0 ? ", \(fallbacks) to Q8_0 (rows not a multiple of \(target.blockSize))" : ""
        return "quantized \(matrices) matrices to \(target.name) in \(String(format: "%.2fs", seconds))"
            + " (\(ByteSize.describe(bytesRead)) -> \(ByteSize.describe(bytesWritten))\(fallback))"
    }
}

/// The first row that failed, from whichever thread saw it.
private final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: (row: Int, error: TensorError)?

    func record(row: Int, _ error: TensorError) {
        lock.lock()
        defer { lock.unlock() }
        if recorded == nil || row < recorded!.row { recorded = (row, error) }
    }

    var first: (row: Int, error: TensorError)? {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}
