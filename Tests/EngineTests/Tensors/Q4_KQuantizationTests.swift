import Formats
import Testing
@testable import Engine

/// The Q4_K reference quantizer (ggml's `quantize_row_q4_K_ref`) against the dequantizer: every
/// weight decodes to the nearest of the 16 values its sub-block can hold (the quantizer's last
/// step, whatever scales its search chose), the error is what 4 bits allow, and degenerate
/// blocks (constant, all zero, one sign) encode exactly where they can.
@Suite struct Q4_KQuantizationTests {
    static func roundTrip(_ values: [Float]) throws -> (bytes: [UInt8], decoded: [Float]) {
        let bytes = try GGMLType.q4_K.quantizeReference(values)
        #expect(bytes.count == values.count / 256 * 144)
        let decoded = try bytes.withUnsafeBytes { (raw) throws(TensorError) in try GGMLType.q4_K.dequantizeReference(row: raw) }
        return (bytes, decoded)
    }

    @Test(arguments: [(UInt64(1), Float(1)), (2, 0.02), (3, 300), (4, 1e-3)])
    func everyWeightDecodesToTheNearestValueOfItsSubBlock(seed: UInt64, scale: Float) throws {
        var random = TestRandom(seed: seed)
        var values = random.floats(256 * 8, scale: scale)
        // Outliers, as real weights have.
        for i in stride(from: 7, to: values.count, by: 97) { values[i] *= 6 }
        let (bytes, decoded) = try Self.roundTrip(values)
        var squaredError: Float = 0, squaredValue: Float = 0
        for block in 0..<(values.count / 256) {
            bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress! + 144 * block
                let d = HalfFloat.float(fromBits: base.loadUnaligned(as: UInt16.self))
                let dmin = HalfFloat.float(fromBits: base.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
                for j in 0..<8 {
                    let (s, m) = KQuantScales.scaleAndMin(j, base + 4)
                    let levels = (0..<16).map { d * Float(s) * Float($0) - dmin * Float(m) }
                    for l in 0..<32 {
                        let i = block * 256 + j * 32 + l
                        let nearest = levels.map { abs($0 - values[i]) }.min()!
                        #expect(abs(decoded[i] - values[i]) <= nearest * (1 + 1e-5) + 1e-6 * scale,
                                "weight \(i): \(values[i]) decoded \(decoded[i]), nearest level off by \(nearest)")
                        squaredError += (decoded[i] - values[i]) * (decoded[i] - values[i])
                        squaredValue += values[i] * values[i]
                    }
                }
            }
        }
        // 16 levels over each sub-block's range: about a tenth of the values' RMS.
        #expect((squaredError / squaredValue).squareRoot() < 0.12)
    }

    @Test func constantZeroAndOneSignedBlocks() throws {
        let zeros = [Float](repeating: 0, count: 256)
        #expect(try Self.roundTrip(zeros).decoded == zeros)
        let constant = [Float](repeating: 0.75, count: 256)
        for v in try Self.roundTrip(constant).decoded { #expect(abs(v - 0.75) < 0.75 / 60) }
        // All positive: the minimum clamps to 0, so 0...15 steps of one scale.
        let ramp = (0..<256).map { Float($0 % 16) * 0.125 }
        for (v, x) in zip(try Self.roundTrip(ramp).decoded, ramp) { #expect(abs(v - x) < 0.01, "\(x) -> \(v)") }
    }

    @Test func partialBlocksAndNonFiniteValuesAreRefused() {
        #expect(throws: TensorError.elementCountNotBlockMultiple(type: .q4_K, count: 255)) {
            try GGMLType.q4_K.quantizeReference([Float](repeating: 1, count: 255))
        }
        #expect(throws: TensorError.nonFinite(index: 3)) {
            try GGMLType.q4_K.quantizeReference([0, 0, 0, .nan] + [Float](repeating: 1, count: 252))
        }
    }

    /// The SIMD quantizer the load runs against the reference: the same bytes for nearly every
    /// block (sums in another order can tip a near tie in the scale search), and never a larger
    /// error overall.
    @Test(arguments: [(UInt64(11), Float(1)), (12, 0.02), (13, 1e4)])
    func theSIMDTwinWritesTheReferenceBytes(seed: UInt64, scale: Float) throws {
        var random = TestRandom(seed: seed)
        var values = random.floats(256 * 512, scale: scale)
        for i in stride(from: 5, to: values.count, by: 89) { values[i] *= 8 }
        let reference = try GGMLType.q4_K.quantizeReference(values)
        let fast = try LoadQuantizer.encode(values, as: .q4_K)
        #expect(fast.count == reference.count)
        let blocks = values.count / 256
        let same = (0..<blocks).filter { b in reference[(144 * b)..<(144 * b + 144)] == fast[(144 * b)..<(144 * b + 144)] }.count
        #expect(Double(same) >= 0.95 * Double(blocks), "\(same) of \(blocks) blocks identical")
        func squaredError(_ bytes: [UInt8]) throws -> Double {
            let decoded = try bytes.withUnsafeBytes { (raw) throws(TensorError) in try GGMLType.q4_K.dequantizeReference(row: raw) }
            return zip(decoded, values).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        }
        #expect(try squaredError(fast) <= squaredError(reference) * 1.001)
    }
}
