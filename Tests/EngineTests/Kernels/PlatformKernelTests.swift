import Testing
@testable import Engine
import Formats

/// The platform kernels (AVX2 on x86-64 Linux: interleaved 8-row groups, single rows for the
/// tails, the vector activation quantiser) against their portable twins, which `MatMulTests` and
/// `QuantizedActivationsTests` hold to the scalar references.
@Suite struct PlatformKernelTests {
    static let pool = ThreadPool(threadCount: 2)

    /// Both paths quantise the input identically and dot integers exactly; only the float
    /// scaling and summation order differ. (Q4_K, Q5_K and Q6_K quantise their input per 256
    /// values: `KQuantKernelTests` holds them to their twin.)
    @Test(arguments: [GGMLType.q4_0, .q4_1, .q8_0])
    func platformMatmulMatchesPortable(_ type: GGMLType) throws {
        var random = KernelRandom(seed: 7 + UInt64(type.rawValue))
        for (rows, blocks, batch) in [(3, 1, 1), (8, 1, 1), (13, 3, 2), (24, 18, 1), (70, 2, 5)] {
            let cols = type.blockSize * blocks
            let matrix = try WeightMatrix(type: type, rows: rows, cols: cols,
                                          data: random.blocks(type, count: rows * blocks, scale: 0.5))
            let input = random.floats(batch * cols, scale: 2)
            let fast = try matrix.matmul(input, batch: batch, pool: Self.pool)
            var portable = [Float](repeating: 0, count: batch * rows)
            input.withUnsafeBufferPointer { x in
                portable.withUnsafeMutableBufferPointer { y in
                    matrix.matmulPortable(x.baseAddress!, batch: batch, into: y.baseAddress!, pool: Self.pool)
                }
            }
            for r in 0..<rows {
                let w = try matrix.dequantizedRowReference(r)
                for v in 0..<batch {
                    let magnitude = (0..<cols).reduce(Float(0)) { $0 + abs(w[$1] * input[v * cols + $1]) }
                    let i = v * rows + r
                    #expect(abs(fast[i] - portable[i]) <= 2e-6 * magnitude + 1e-7,
                            "\(type) \(rows)x\(cols) row \(r) vector \(v): \(fast[i]) vs \(portable[i])")
                }
            }
        }
    }

    /// The largest codes against the largest activations: every Int16 partial sum of the
    /// `vpmaddubsw` kernels is at its bound, where an overflow or saturation would show.
    @Test(arguments: [GGMLType.q4_0, .q4_1, .q8_0])
    func extremeCodesDoNotOverflow(_ type: GGMLType) throws {
        let rows = 16, cols = 64
        var block = [UInt8](repeating: 0, count: type.bytesPerBlock)
        block[1] = 0x3C  // d = 1.0 (f16 0x3C00)
        switch type {
        case .q8_0: for i in 2..<34 { block[i] = 0x80 }  // every code -128
        case .q4_1: for i in 4..<20 { block[i] = 0xFF }  // every code 15, m = 0
        default: for i in 2..<18 { block[i] = 0xFF }  // every code 15 (weight 7)
        }
        let data = Array([[UInt8]](repeating: block, count: rows * cols / 32).joined())
        let matrix = try WeightMatrix(type: type, rows: rows, cols: cols, data: data)
        for sign: Float in [1, -1] {
            try MatMulTests.expectClose(matrix, input: [Float](repeating: sign * 3, count: cols), batch: 1, pool: Self.pool)
        }
    }

    #if arch(x86_64) && os(Linux)
    /// The AVX2 quantiser equals the scalar one bit for bit, rounding ties and odd values included.
    @Test func vectorQuantiserEqualsPortable() {
        var random = KernelRandom(seed: 11)
        var blocks: [[Float]] = (0..<50).map { _ in random.floats(32, scale: 5) }
        // Exact ties and their neighbours at step 1 (max 127).
        let ties: [Float] = [127, 0.5, -0.5, 1.5, -2.5, Float(0.5).nextDown, Float(-0.5).nextUp, 126.5, -126.5,
                             Float(2.5).nextUp]
        blocks.append(ties + [Float](repeating: 0.25, count: 22))
        blocks.append([Float](repeating: 0, count: 32))
        blocks.append([Float.nan, 1, -3, .nan] + [Float](repeating: 2, count: 28))
        blocks.append([Float.infinity, 1, -.infinity] + [Float](repeating: -2, count: 29))
        blocks.append([Float(1e-30), -1e-38] + [Float](repeating: 1e-33, count: 30))
        for (index, block) in blocks.enumerated() {
            var fast = [Int8](repeating: 0, count: 32), slow = [Int8](repeating: 0, count: 32)
            var fastScale: Float = 0, fastSum: Float = 0, slowScale: Float = 0, slowSum: Float = 0
            block.withUnsafeBufferPointer { x in
                AVX2.quantizeBlock(x.baseAddress!, into: &fast, scale: &fastScale, sum: &fastSum)
                QuantizedActivations.quantizeBlockPortable(x.baseAddress!, into: &slow, scale: &slowScale, sum: &slowSum)
            }
            #expect(fast == slow, "block \(index)")
            #expect(fastScale.bitPattern == slowScale.bitPattern && fastSum.bitPattern == slowSum.bitPattern,
                    "block \(index): scale \(fastScale) vs \(slowScale), sum \(fastSum) vs \(slowSum)")
        }
    }
    #endif
}
