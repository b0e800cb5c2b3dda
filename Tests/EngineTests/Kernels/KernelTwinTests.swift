import Foundation
import Testing
@testable import Engine

/// Each optimised non-matmul kernel against its slow, obvious twin.
@Suite struct KernelTwinTests {
    @Test func vectorExpMatchesTheCLibrary() {
        var x: Float = -87
        var worst = 0.0
        while x < 88 {
            let fast = Double(SIMDMath.exp(x))
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(fast - exact) / exact)
            x += 0.0371
        }
        #expect(worst < 5e-7)
        #expect(SIMDMath.exp(-Float.infinity) == 0)
        #expect(SIMDMath.exp(-100) == 0)
    }

    @Test(arguments: [1, 15, 16, 33, 576])
    func rmsNormMatchesReference(width: Int) {
        var random = TestRandom(seed: UInt64(width))
        let x = random.floats(width, scale: 3)
        let w = random.floats(width)
        var out = [Float](repeating: 0, count: width)
        RMSNorm.apply(x, weight: w, epsilon: 1e-5, count: width, into: &out)
        let expected = RMSNorm.reference(x, weight: w, epsilon: 1e-5)
        #expect(maxAbsDifference(out, expected) < 1e-5)
    }

    @Test(arguments: [1, 7, 16, 100, 1000])
    func softmaxMatchesReference(count: Int) {
        var random = TestRandom(seed: UInt64(count))
        let x = random.floats(count, scale: 20)
        var out = x
        Softmax.apply(&out, count: count)
        #expect(maxAbsDifference(out, Softmax.reference(x)) < 1e-6)
        #expect(abs(out.reduce(0, +) - 1) < 1e-5)
    }

    @Test(arguments: [3, 16, 37, 1536])
    func swiGLUMatchesReference(count: Int) {
        var random = TestRandom(seed: UInt64(count))
        let gate = random.floats(count, scale: 12)
        let up = random.floats(count, scale: 2)
        var out = gate
        SwiGLU.apply(gate: &out, up: up, count: count)
        #expect(maxAbsDifference(out, SwiGLU.reference(gate: gate, up: up)) < 1e-5)
    }

    @Test(arguments: [3, 16, 37, 2048])
    func geluGateMatchesReference(count: Int) {
        var random = TestRandom(seed: UInt64(count) + 7)
        let gate = random.floats(count, scale: 12)
        let up = random.floats(count, scale: 2)
        var out = gate
        GeluGate.apply(gate: &out, up: up, count: count)
        #expect(maxAbsDifference(out, GeluGate.reference(gate: gate, up: up)) < 1e-5)
    }

    @Test(arguments: [RoPE.Pairing.adjacent, .halves])
    func ropeMatchesReferenceOnEveryHead(pairing: RoPE.Pairing) {
        var random = TestRandom(seed: 7)
        let heads = 3
        let headDim = 16
        let divisors: [Float] = (0..<6).map { 1 + Float($0) }
        let rope = RoPE(base: 10_000, dimensions: 12, pairing: pairing, scale: 0.5, frequencyDivisors: divisors)
        for position in [0, 1, 17, 4000] {
            let x = random.floats(heads * headDim)
            var rotated = x
            rope.rotate(&rotated, heads: heads, headDim: headDim, position: position)
            for h in 0..<heads {
                let head = Array(x[(h * headDim)..<((h + 1) * headDim)])
                let expected = RoPE.reference(
                    head, position: position, base: 10_000, dimensions: 12, pairing: pairing,
                    scale: 0.5, frequencyDivisors: divisors)
                #expect(maxAbsDifference(Array(rotated[(h * headDim)..<((h + 1) * headDim)]), expected) < 1e-5)
            }
        }
    }

    @Test func ropeAtPositionZeroIsIdentityAndPreservesNorms() {
        var random = TestRandom(seed: 9)
        let x = random.floats(64)
        var same = x
        RoPE(base: 100_000, dimensions: 64, pairing: .adjacent).rotate(&same, heads: 1, headDim: 64, position: 0)
        #expect(same == x)
        var moved = x
        RoPE(base: 100_000, dimensions: 64, pairing: .halves).rotate(&moved, heads: 1, headDim: 64, position: 123)
        let norm = { (v: [Float]) in v.reduce(0) { $0 + $1 * $1 } }
        #expect(abs(norm(moved) - norm(x)) < 1e-3)
        #expect(moved != x)
    }

    @Test(arguments: [1, 5, 40])
    func attentionHeadMatchesReference(length: Int) {
        var random = TestRandom(seed: UInt64(length))
        let headDim = 24
        let stride = 3 * headDim
        let cacheKeys = random.floats(length * stride, scale: 2).map { Float16($0) }
        let cacheValues = random.floats(length * stride).map { Float16($0) }
        let query = random.floats(headDim, scale: 2)
        let head = 1
        var scores = [Float](repeating: 0, count: length)
        var out = [Float](repeating: 0, count: headDim)
        cacheKeys.withUnsafeBufferPointer { k in
            cacheValues.withUnsafeBufferPointer { v in
                guard let k = k.baseAddress, let v = v.baseAddress else { return }
                Attention.head(
                    query: query, keys: k + head * headDim, values: v + head * headDim,
                    rowStride: stride, length: length, headDim: headDim, scale: 0.2, scores: &scores, out: &out)
            }
        }
        let rows = { (m: [Float16]) in
            (0..<length).map { j in Array(m[(j * stride + head * headDim)..<(j * stride + (head + 1) * headDim)]) }
        }
        let expected = Attention.reference(query: query, keys: rows(cacheKeys), values: rows(cacheValues), scale: 0.2)
        #expect(maxAbsDifference(out, expected) < 1e-4)
    }
}
