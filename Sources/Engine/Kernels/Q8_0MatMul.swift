#if arch(x86_64) && os(Linux)
import CPUKernels
import Formats

extension WeightMatrix {
    /// Q8_0: with AVX-512 VNNI, whole groups of 8 rows from the 8-row layout by the C kernel
    /// (CPUKernels), the input's codes offset by 128 to the unsigned bytes vpdpbusd takes, and
    /// rows past the last whole group on the 32-block row kernel; otherwise the Swift group
    /// kernels (`Q8_0Group`), whose bits the C kernel gives.
    func q8_0Matmul(_ input: UnsafePointer<Float>, batch: Int, into output: UnsafeMutablePointer<Float>,
                    pool: ThreadPool, isa: KernelISA) {
        guard isa == .avx512VNNI, let packed = interleaved else {
            avx2Matmul(Q8_0AVX2.self, Q8_0Group.self, input, batch: batch, output: output, pool: pool)
            return
        }
        let activations = quantizedInput(input, batch: batch, pool: pool)
        let count = batch * cols
        let unsigned = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        defer { unsigned.deallocate() }
        UnsafeRawPointer(activations.qs).withMemoryRebound(to: UInt8.self, capacity: count) { signed in
            for i in 0..<count { unsigned[i] = signed[i] ^ 0x80 }
        }
        let vectors = genrm_q8_vectors(qs: unsigned, d: activations.scales, cols: cols)
        let groupRows = InterleavedRows.rowsPerGroup * packed.groups
        let (groups, groupBytes, rows) = (UnsafeRawPointer(packed.base), packed.groupBytes, rows)
        forEachTileRange(batch: batch, pool: pool) { rowStart, rowEnd, vectorStart, vectorEnd in
            let groupEnd = min(rowEnd, groupRows)
            guard rowStart < groupEnd else { return }
            // Tiles start at multiples of 8, so rowStart is a group boundary.
            let (first, last) = (rowStart / InterleavedRows.rowsPerGroup, groupEnd / InterleavedRows.rowsPerGroup)
            genrm_q8_0_x8_matmul_vnni(groups, groupBytes, first, last, vectors, vectorStart, vectorEnd, output, rows)
        }
        let blocks = cols / 32
        for v in 0..<batch {
            let (a, scales, sums) = activations.vector(v)
            for r in groupRows..<rows {
                output[v * rows + r] = AVX2RowDots.oneRow(Q8_0AVX2.self, rowPointer(r), a, scales, sums, blocks: blocks)
            }
        }
    }
}
#endif
