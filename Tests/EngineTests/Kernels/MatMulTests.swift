import Foundation
import Testing
@testable import Engine
import Formats

/// The fast matmul against its reference twin (dequantise + Double dot) on random blocks of
/// every type and on real SmolLM2 weights.
///
/// Tolerance: quantised types round each input to 8 bits per 32-value block, so an output may
/// move by at most sum_j |w_j| * d_j / 2 (d_j the input block's step, max|x| / 127); float
/// types and the f32 accumulation add at most 1e-5 * sum_j |w_j x_j|.
@Suite struct MatMulTests {
    static let pool = ThreadPool(threadCount: 3)

    /// The bound above for every output of `matrix * input`.
    static func tolerance(_ matrix: WeightMatrix, _ input: [Float], batch: Int) throws -> [Float] {
        let quantised = matrix.type.blockSize > 1
        // Half the quantisation step of every input block: 32 values, or 256 for the K-quant
        // kernels' activations (`KBlockActivations`), a bound that also holds the 32-block paths.
        let block = [.q4_K, .q6_K].contains(matrix.type) ? 256 : 32
        let halfSteps: [Double] = stride(from: 0, to: input.count, by: block).map { start in
            Double(input[start..<min(input.count, start + block)].map(abs).max() ?? 0) / 127 / 2
        }
        var bounds = [Float](repeating: 0, count: batch * matrix.rows)
        for r in 0..<matrix.rows {
            let w = try matrix.dequantizedRowReference(r)
            for v in 0..<batch {
                var bound: Double = 0
                for c in 0..<matrix.cols {
                    let x = input[v * matrix.cols + c]
                    bound += 1e-5 * Double(abs(w[c])) * Double(abs(x))
                    if quantised { bound += Double(abs(w[c])) * halfSteps[(v * matrix.cols + c) / block] }
                }
                bounds[v * matrix.rows + r] = Float(bound * 1.001) + 1e-6
            }
        }
        return bounds
    }

    static func expectClose(_ matrix: WeightMatrix, input: [Float], batch: Int, pool: ThreadPool) throws {
        let fast = try matrix.matmul(input, batch: batch, pool: pool)
        let reference = try matrix.matmulReference(input, batch: batch)
        let bounds = try tolerance(matrix, input, batch: batch)
        var worst: Float = 0
        for i in 0..<fast.count {
            worst = max(worst, abs(fast[i] - reference[i]) / bounds[i])
        }
        #expect(worst <= 1, "\(matrix.type) \(matrix.rows)x\(matrix.cols) batch \(batch): error/bound \(worst)")
    }

    static let shapes: [(rows: Int, blocksPerRow: Int, batch: Int)] = [
        (1, 1, 1), (5, 2, 1), (13, 3, 3), (64, 2, 40), (7, 1, 33),
    ]

    @Test(arguments: GGMLType.allCases)
    func fastMatchesReferenceOnRandomBlocks(_ type: GGMLType) throws {
        var random = KernelRandom(seed: UInt64(type.rawValue) + 1)
        for shape in Self.shapes {
            // Float types get odd widths too, to cover the vector tails.
            let cols = type.blockSize == 1 ? 16 * shape.blocksPerRow + 7 : type.blockSize * shape.blocksPerRow
            let blocksPerRow = cols / type.blockSize
            let data = random.blocks(type, count: shape.rows * blocksPerRow, scale: 0.5)
            let matrix = try WeightMatrix(type: type, rows: shape.rows, cols: cols, data: data)
            let input = random.floats(shape.batch * cols, scale: 2)
            try Self.expectClose(matrix, input: input, batch: shape.batch, pool: Self.pool)
        }
    }

    @Test(arguments: [1, 2, 4])
    func resultsDoNotDependOnThreadCount(_ threads: Int) throws {
        var random = KernelRandom(seed: 99)
        let matrix = try WeightMatrix(type: .q4_1, rows: 37, cols: 96, data: random.blocks(.q4_1, count: 37 * 3))
        let input = random.floats(5 * 96)
        let pool = ThreadPool(threadCount: threads)
        let single = try matrix.matmul(input, batch: 5, pool: ThreadPool(threadCount: 1))
        #expect(try matrix.matmul(input, batch: 5, pool: pool) == single)
        // Each vector of a batch gives what it gives alone.
        let alone = try matrix.matmul(Array(input[96..<192]), pool: pool)
        #expect(Array(single[37..<74]) == alone)
    }

    @Test func inputsOfWrongSizeAreRefused() throws {
        let matrix = try WeightMatrix(type: .f32, rows: 2, cols: 3, data: [UInt8](repeating: 0, count: 24))
        #expect(throws: TensorError.self) { try matrix.matmul([1, 2], pool: Self.pool) }
        #expect(throws: TensorError.self) { try matrix.matmulReference([1, 2, 3], batch: 2) }
        #expect(throws: TensorError.self) { try WeightMatrix(type: .q4_0, rows: 1, cols: 32, data: [0]) }
        #expect(throws: TensorError.self) { try WeightMatrix(type: .q4_0, rows: 1, cols: 33, data: []) }
    }

    @Test func embeddingRowsEqualReferenceRows() throws {
        var random = KernelRandom(seed: 5)
        for type in GGMLType.allCases {
            let cols = type.blockSize == 1 ? 40 : type.blockSize * 2
            let matrix = try WeightMatrix(type: type, rows: 3, cols: cols,
                                          data: random.blocks(type, count: 3 * cols / type.blockSize))
            #expect(try matrix.embeddingRow(2) == matrix.dequantizedRowReference(2))
            #expect(throws: TensorError.rowOutOfRange(tensor: "<memory>", row: 3, rows: 3)) { try matrix.embeddingRow(3) }
            #expect(throws: TensorError.rowOutOfRange(tensor: "<memory>", row: -1, rows: 3)) { try matrix.embeddingRow(-1) }
        }
    }

    @Test(.enabled(if: KernelFixtures.cachedModel(KernelFixtures.smolLM2) != nil, "needs the SmolLM2 asset"))
    func fastMatchesReferenceOnSmolLM2Weights() throws {
        let file = try GGUFFile(path: try #require(KernelFixtures.cachedModel(KernelFixtures.smolLM2)))
        var random = KernelRandom(seed: 42)
        for (name, batch) in [("blk.0.ffn_down.weight", 1), ("blk.3.attn_k.weight", 4), ("blk.29.ffn_gate.weight", 2)] {
            let matrix = try WeightMatrix(file: file, name: name)
            try Self.expectClose(matrix, input: random.floats(batch * matrix.cols, scale: 3), batch: batch, pool: Self.pool)
        }
        let embedding = try WeightMatrix(file: file, name: "token_embd.weight", rows: 49152, cols: 576)
        #expect(embedding.type == .q8_0)
        try Self.expectClose(embedding, input: random.floats(576), batch: 1, pool: Self.pool)
        #expect(throws: TensorError.self) { try WeightMatrix(file: file, name: "token_embd.weight", rows: 576, cols: 49152) }
        #expect(throws: TensorError.file(.missingTensor("output.weight"))) {
            try WeightMatrix(file: file, name: "output.weight")
        }
    }
}

/// Q5_0 matrices are held as Q8_0 blocks; the conversion is exact.
@Suite struct Q5_0HeldAsQ8_0Tests {
    @Test func everyWeightKeepsItsValue() throws {
        let rows = 3, cols = 64
        var random = KernelRandom(seed: 5)
        let data = random.blocks(.q5_0, count: rows * cols / 32)
        let matrix = try WeightMatrix(type: .q5_0, rows: rows, cols: cols, data: data)
        #expect(matrix.storedType == .q5_0 && matrix.type == .q8_0)
        for r in 0..<rows {
            let stored = try GGMLType.q5_0.dequantizeReference(row: data.withUnsafeBytes { whole in
                UnsafeRawBufferPointer(rebasing: whole[(r * 44)..<(r * 44 + 44)])
            })
            #expect(try matrix.dequantizedRowReference(r) == stored)
        }
    }
}
