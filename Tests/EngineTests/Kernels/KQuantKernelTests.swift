import Testing
@testable import Engine
import Formats

/// The Q4_K, Q5_K and Q6_K kernels (CPUKernels, one per instruction set this machine runs) against
/// their twin `KQuantDotReference` on the file's own blocks: the same bits for every row of a
/// whole 8-row group, whichever instruction set; the K8 activation quantiser against its
/// portable twin, bit for bit.
@Suite struct KQuantKernelTests {
    static let pool = ThreadPool(threadCount: 2)

    #if arch(x86_64) && os(Linux)
    static let isas = KernelISA.available

    @Test(arguments: [GGMLType.q4_K, .q5_K, .q6_K])
    func kernelsEqualTheirTwinBitForBit(_ type: GGMLType) throws {
        var random = KernelRandom(seed: 31 + UInt64(type.rawValue))
        // Tails past the last group (13, 70), one and several vector tiles (37), the kernels of
        // KQ_VECTORS (8) and of one vector; tiles of three groups (70, 136: the 512-bit kernels
        // take two groups and KQ_PAIR_VECTORS (16) vectors at a time, the third group alone) with
        // vectors left over (37, 19), 8 or more of them (9, 27) taken KQ_VECTORS at a time.
        for (rows, superBlocks, batch) in [(8, 1, 1), (16, 2, 5), (13, 1, 3), (24, 3, 9), (70, 2, 37), (136, 2, 19), (48, 1, 27)] {
            let cols = 256 * superBlocks
            let matrix = try WeightMatrix(type: type, rows: rows, cols: cols,
                                          data: random.blocks(type, count: rows * superBlocks, scale: 0.5))
            let input = random.floats(batch * cols, scale: 3)
            let activations = KBlockActivations(batch: batch, cols: cols)
            input.withUnsafeBufferPointer { x in
                for v in 0..<batch { activations.quantizePortable(vector: v, from: x.baseAddress!) }
            }
            let groupRows = rows / 8 * 8
            for isa in Self.isas {
                var fast = [Float](repeating: .nan, count: batch * rows)
                input.withUnsafeBufferPointer { x in
                    fast.withUnsafeMutableBufferPointer { y in
                        matrix.kQuantMatmul(x.baseAddress!, batch: batch, into: y.baseAddress!, pool: Self.pool, isa: isa)
                    }
                }
                for v in 0..<batch {
                    for r in 0..<groupRows {
                        let twin = KQuantDotReference.dot(type, row: matrix.rowPointer(r), cols: cols, activations, vector: v)
                        let got = fast[v * rows + r]
                        #expect(got.bitPattern == twin.bitPattern,
                                "\(type) \(isa) \(rows)x\(cols) row \(r) vector \(v): \(got) vs twin \(twin)")
                    }
                }
                // The tail rows run the 32-block kernels: held to the reference within its bound.
                let reference = try matrix.matmulReference(input, batch: batch)
                let bounds = try MatMulTests.tolerance(matrix, input, batch: batch)
                for v in 0..<batch {
                    for r in groupRows..<rows {
                        let i = v * rows + r
                        #expect(abs(fast[i] - reference[i]) <= bounds[i], "\(type) \(isa) tail row \(r) vector \(v)")
                    }
                }
            }
        }
    }

    /// The largest codes, scales and mins against the largest activations: every int16 partial
    /// sum of the AVX2 kernels at its bound, where an overflow or a saturation would show.
    @Test(arguments: [GGMLType.q4_K, .q5_K, .q6_K])
    func extremeCodesDoNotOverflow(_ type: GGMLType) throws {
        let rows = 16, cols = 512
        var block = [UInt8](repeating: 0xFF, count: type.bytesPerBlock)
        if type == .q4_K || type == .q5_K {
            // d = dmin = 1, every code 15 (31: Q5_K's fifth bits are all set), scales and mins 63.
            (block[0], block[1], block[2], block[3]) = (0x00, 0x3C, 0x00, 0x3C)
        } else {
            for i in 192..<208 { block[i] = 0x80 }  // every scale -128, every code 63
            (block[208], block[209]) = (0x00, 0x3C)
        }
        let data = Array([[UInt8]](repeating: block, count: rows * cols / 256).joined())
        let matrix = try WeightMatrix(type: type, rows: rows, cols: cols, data: data)
        for sign: Float in [1, -1] {
            let input = [Float](repeating: sign * 5, count: cols)
            for isa in Self.isas {
                var fast = [Float](repeating: .nan, count: rows)
                input.withUnsafeBufferPointer { x in
                    fast.withUnsafeMutableBufferPointer { y in
                        matrix.kQuantMatmul(x.baseAddress!, batch: 1, into: y.baseAddress!, pool: Self.pool, isa: isa)
                    }
                }
                let reference = try matrix.matmulReference(input)
                for r in 0..<rows {
                    #expect(abs(fast[r] - reference[r]) <= 1e-4 * abs(reference[r]), "\(type) \(isa) row \(r): \(fast[r]) vs \(reference[r])")
                }
            }
        }
    }

    /// The AVX2 K8 quantiser equals the scalar one bit for bit: ties, NaN, infinities, zeros.
    @Test func quantiserEqualsPortable() {
        var random = KernelRandom(seed: 5)
        var vectors: [[Float]] = (0..<6).map { _ in random.floats(512, scale: 4) }
        let ties: [Float] = [127, 0.5, -0.5, 1.5, -2.5, Float(0.5).nextDown, 126.5, -126.5, Float(2.5).nextUp]
        vectors.append(ties + [Float](repeating: 0.25, count: 256 - ties.count) + [Float](repeating: 0, count: 256))
        vectors.append([Float.nan, 1, -3, .nan] + [Float](repeating: 2, count: 252) + [.infinity, 1, -.infinity] + [Float](repeating: -2, count: 253))
        vectors.append([Float(1e-30), -1e-38] + [Float](repeating: 1e-33, count: 510))
        for (index, vector) in vectors.enumerated() {
            let fast = KBlockActivations(batch: 1, cols: 512), slow = KBlockActivations(batch: 1, cols: 512)
            vector.withUnsafeBufferPointer { x in
                fast.quantize(vector: 0, from: x.baseAddress!)
                slow.quantizePortable(vector: 0, from: x.baseAddress!)
            }
            #expect((0..<512).allSatisfy { fast.qs[$0] == slow.qs[$0] }, "vector \(index): codes")
            #expect((0..<32).allSatisfy { fast.bsums[$0] == slow.bsums[$0] }, "vector \(index): sums")
            #expect((0..<32).allSatisfy { fast.offsets[$0] == -32 * Int32(slow.bsums[$0]) }, "vector \(index): offsets")
            #expect((0..<2).allSatisfy { fast.d[$0].bitPattern == slow.d[$0].bitPattern }, "vector \(index): scales")
        }
    }
    #endif

    /// The twin itself against the float reference: within the bound of 256-value input blocks.
    @Test(arguments: [GGMLType.q4_K, .q5_K, .q6_K])
    func twinMatchesTheReference(_ type: GGMLType) throws {
        var random = KernelRandom(seed: 3 + UInt64(type.rawValue))
        let rows = 9, cols = 512, batch = 2
        let matrix = try WeightMatrix(type: type, rows: rows, cols: cols, data: random.blocks(type, count: rows * 2, scale: 0.5))
        let input = random.floats(batch * cols, scale: 2)
        let activations = KBlockActivations(batch: batch, cols: cols)
        input.withUnsafeBufferPointer { x in
            for v in 0..<batch { activations.quantizePortable(vector: v, from: x.baseAddress!) }
        }
        let reference = try matrix.matmulReference(input, batch: batch)
        let bounds = try MatMulTests.tolerance(matrix, input, batch: batch)
        for v in 0..<batch {
            for r in 0..<rows {
                let twin = KQuantDotReference.dot(type, row: matrix.rowPointer(r), cols: cols, activations, vector: v)
                #expect(abs(twin - reference[v * rows + r]) <= bounds[v * rows + r], "\(type) row \(r) vector \(v)")
            }
        }
    }
}
