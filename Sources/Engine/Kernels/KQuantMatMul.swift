#if arch(x86_64) && os(Linux)
import CPUKernels
import Formats

extension WeightMatrix {
    /// Q4_K, Q5_K and Q6_K: whole groups of 8 rows from the 8-row super-block layout
    /// (`InterleavedRows`) with the input as `KBlockActivations`, by the C kernels of `isa`
    /// (CPUKernels); rows past the last whole group, or a matrix with none, on the 32-block
    /// row kernels (`Q4_KAVX2`, `Q5_KAVX2`, `Q6_KAVX2`).
    func kQuantMatmul(_ input: UnsafePointer<Float>, batch: Int, into output: UnsafeMutablePointer<Float>,
                      pool: ThreadPool, isa: KernelISA) {
        guard let packed = interleaved else {
            switch type {
            case .q4_K: avx2Matmul(Q4_KAVX2.self, Q4_1Group.self, input, batch: batch, output: output, pool: pool)
            case .q5_K: avx2Matmul(Q5_KAVX2.self, Q4_1Group.self, input, batch: batch, output: output, pool: pool)
            default: avx2Matmul(Q6_KAVX2.self, Q4_1Group.self, input, batch: batch, output: output, pool: pool)
            }
            return
        }
        let activations = KBlockActivations(batch: batch, cols: cols)
        if batch >= 4 * pool.threadCount {
            pool.parallelFor(batch) { activations.quantize(vector: $0, from: input) }
        } else {
            for v in 0..<batch { activations.quantize(vector: v, from: input) }
        }
        let vectors = activations.vectors
        let groupRows = InterleavedRows.rowsPerGroup * packed.groups
        let (groups, groupBytes, rows, isaCode) = (UnsafeRawPointer(packed.base), packed.groupBytes, rows, isa.code)
        let kind: Int32 = switch type {
        case .q4_K: GENRM_KQ_Q4_K
        case .q5_K: GENRM_KQ_Q5_K
        default: GENRM_KQ_Q6_K
        }
        forEachTileRange(batch: batch, pool: pool) { rowStart, rowEnd, vectorStart, vectorEnd in
            let groupEnd = min(rowEnd, groupRows)
            guard rowStart < groupEnd else { return }
            // Tiles start at multiples of 8, so rowStart is a group boundary.
            let (first, last) = (rowStart / InterleavedRows.rowsPerGroup, groupEnd / InterleavedRows.rowsPerGroup)
            genrm_k_x8_matmul(isaCode, kind, groups, groupBytes, first, last, vectors, vectorStart, vectorEnd, output, rows)
        }
        if groupRows < rows { kQuantTail(from: groupRows, input, batch: batch, into: output, pool: pool) }
    }

    /// Rows `start..<rows` (fewer than 8) on the 32-block row kernels.
    private func kQuantTail(from start: Int, _ input: UnsafePointer<Float>, batch: Int,
                            into output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let activations = quantizedInput(input, batch: batch, pool: pool)
        let blocks = cols / 32
        for v in 0..<batch {
            let (a, scales, sums) = activations.vector(v)
            for r in start..<rows {
                output[v * rows + r] = switch type {
                case .q4_K: AVX2RowDots.oneRow(Q4_KAVX2.self, rowPointer(r), a, scales, sums, blocks: blocks)
                case .q5_K: AVX2RowDots.oneRow(Q5_KAVX2.self, rowPointer(r), a, scales, sums, blocks: blocks)
                default: AVX2RowDots.oneRow(Q6_KAVX2.self, rowPointer(r), a, scales, sums, blocks: blocks)
                }
            }
        }
    }
}
#endif
