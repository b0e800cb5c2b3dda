import Testing
@testable import Engine
import Formats

/// The per-matmul input quantiser against the Q8_0 reference quantiser (same rounding).
@Suite struct QuantizedActivationsTests {
    @Test func codesAndScalesEqualQ8_0Reference() throws {
        var random = KernelRandom(seed: 3)
        var input = random.floats(3 * 96, scale: 4)
        input[32..<64] = ArraySlice(repeating: 0, count: 32)  // an all-zero block
        input[100] = 1e-30
        let reference = try GGMLType.q8_0.quantizeReference(input)
        let activations = QuantizedActivations(batch: 3, cols: 96)
        input.withUnsafeBufferPointer { x in
            for v in 0..<3 { activations.quantize(vector: v, from: x.baseAddress!) }
        }
        for block in 0..<9 {
            let encoded = Array(reference[(34 * block)..<(34 * block + 34)])
            let d = HalfFloat.float(fromBits: UInt16(encoded[0]) | UInt16(encoded[1]) << 8)
            let codes = encoded[2...].map { Int8(bitPattern: $0) }
            let fast = (0..<32).map { activations.qs[32 * block + $0] }
            #expect(fast == codes, "block \(block)")
            // The reference stores d as f16; the activations keep it in f32.
            #expect(HalfFloat.bits(from: activations.scales[block]) == HalfFloat.bits(from: d))
            let sum = Float(codes.reduce(0) { $0 + Int($1) })
            #expect(activations.sums[block] == activations.scales[block] * sum)
        }
    }

    @Test func nonFiniteInputsDoNotTrap() {
        var input = [Float](repeating: 1, count: 64)
        input[3] = .nan
        input[40] = .infinity
        let activations = QuantizedActivations(batch: 1, cols: 64)
        input.withUnsafeBufferPointer { activations.quantize(vector: 0, from: $0.baseAddress!) }
        #expect(activations.qs[3] == 0)
    }
}
