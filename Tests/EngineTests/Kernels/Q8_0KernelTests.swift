import Testing
@testable import Engine
import Formats

/// The Q8_0 kernels (CPUKernels, Q8_0Kernels.h): the AVX2 one (signed codes, 16, 4 or 1 vectors per loaded block)
/// against the float reference within its bound, and the AVX-512 VNNI one (unsigned-offset
/// activations) against the AVX2 one bit for bit on every row of a whole 8-row group; the rows
/// past the last group against the reference.
@Suite struct Q8_0KernelTests {
    static let pool = ThreadPool(threadCount: 2)

    #if arch(x86_64) && os(Linux)
    @Test func bothKernelsGiveTheSameBitsWithinTheReferenceBound() throws {
        var random = KernelRandom(seed: 808)
        // Tails past the last group (13, 70), one and several vector tiles (37), the kernels of
        // sixteen, eight (VNNI), four (AVX2) and one vector (21: 16 + 4 + 1); codes at -128 and
        // 127 in the last case.
        for (rows, blocks, batch) in [(8, 1, 1), (16, 3, 5), (13, 2, 3), (24, 8, 9), (16, 5, 21), (70, 48, 37)] {
            let cols = 32 * blocks
            var data = random.blocks(.q8_0, count: rows * blocks, scale: 0.5)
            if rows == 70 {
                for b in 0..<rows * blocks { data[34 * b + 2] = 0x80; data[34 * b + 3] = 0x7F }
            }
            let matrix = try WeightMatrix(type: .q8_0, rows: rows, cols: cols, data: data)
            let input = random.floats(batch * cols, scale: 3)
            let run = { (isa: KernelISA) -> [Float] in
                var y = [Float](repeating: .nan, count: batch * rows)
                input.withUnsafeBufferPointer { x in
                    y.withUnsafeMutableBufferPointer { out in
                        matrix.q8_0Matmul(x.baseAddress!, batch: batch, into: out.baseAddress!, pool: Self.pool, isa: isa)
                    }
                }
                return y
            }
            let twin = run(.avx2)
            let reference = try matrix.matmulReference(input, batch: batch)
            let bounds = try MatMulTests.tolerance(matrix, input, batch: batch)
            for i in 0..<batch * rows { #expect(abs(twin[i] - reference[i]) <= bounds[i], "avx2 \(rows)x\(cols) at \(i)") }
            guard KernelISA.available.contains(.avx512VNNI) else { continue }
            let fast = run(.avx512VNNI)
            for v in 0..<batch {
                for r in 0..<rows {
                    let i = v * rows + r
                    if r < rows / 8 * 8 {
                        #expect(fast[i].bitPattern == twin[i].bitPattern, "\(rows)x\(cols) row \(r) vector \(v): \(fast[i]) vs \(twin[i])")
                    } else {
                        #expect(abs(fast[i] - reference[i]) <= bounds[i], "tail row \(r) vector \(v)")
                    }
                }
            }
        }
    }
    #endif
}
