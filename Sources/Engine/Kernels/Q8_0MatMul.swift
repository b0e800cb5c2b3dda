#if arch(x86_64) && os(Linux)
import CPUKernels
import Formats

extension WeightMatrix {
    /// Q8_0: whole groups of 8 rows from the 8-row layout by the C kernel of `isa` (CPUKernels;
    /// both give the same bits); rows past the last whole group, and matrices without the layout,
    /// on the 32-block row kernel.
    func q8_0Matmul(_ input: UnsafePointer<Float>, batch: Int, into output: UnsafeMutablePointer<Float>,
                    pool: ThreadPool, isa: KernelISA) {
        let activations = quantizedInput(input, batch: batch, pool: pool)
        let groupRows = InterleavedRows.rowsPerGroup * (interleaved?.groups ?? 0)
        if let packed = interleaved {
            let count = batch * cols
            // VNNI takes the codes + 128 (unsigned bytes for vpdpbusd), AVX2 the codes themselves.
            let offset = isa == .avx512VNNI ? UnsafeMutablePointer<UInt8>.allocate(capacity: count) : nil
            defer { offset?.deallocate() }
            let codes = UnsafeRawPointer(activations.qs).assumingMemoryBound(to: UInt8.self)
            if let offset { for i in 0..<count { offset[i] = codes[i] ^ 0x80 } }
            let vectors = genrm_q8_vectors(qs: offset.map { UnsafePointer($0) } ?? codes, d: activations.scales, cols: cols)
            let (groups, groupBytes, rows, isaCode) = (UnsafeRawPointer(packed.base), packed.groupBytes, rows, isa.code)
            forEachTileRange(batch: batch, pool: pool) { rowStart, rowEnd, vectorStart, vectorEnd in
                let groupEnd = min(rowEnd, groupRows)
                guard rowStart < groupEnd else { return }
                // Tiles start at multiples of 8, so rowStart is a group boundary.
                let (first, last) = (rowStart / InterleavedRows.rowsPerGroup, groupEnd / InterleavedRows.rowsPerGroup)
                genrm_q8_0_x8_matmul(isaCode, groups, groupBytes, first, last, vectors, vectorStart, vectorEnd, output, rows)
            }
        }
        guard groupRows < rows else { return }
        let blocks = cols / 32
        let tail = { (v: Int) in
            let (a, scales, sums) = activations.vector(v)
            for r in groupRows..<rows {
                output[v * rows + r] = AVX2RowDots.oneRow(Q8_0AVX2.self, rowPointer(r), a, scales, sums, blocks: blocks)
            }
        }
        // Without the layout every row is a tail row: split the vectors over the pool.
        if groupRows == 0 && batch > 1 { pool.parallelFor(batch, tail) } else { for v in 0..<batch { tail(v) } }
    }
}
#endif
