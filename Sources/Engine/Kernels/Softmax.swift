import Foundation

/// Numerically stable softmax: `p_i = e^(x_i - max) / sum_j e^(x_j - max)`.
public enum Softmax {
    /// In place over `count` values; returns the normaliser `sum_j e^(x_j - max)`.
    /// - x: (count)
    @inlinable @discardableResult
    public static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) -> Float {
        guard count > 0 else { return 0 }
        let maxValue = maximum(x, count: count)
        let shift = SIMD16<Float>(repeating: maxValue)
        var sum16 = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let e = SIMDMath.exp(SIMDMath.load16(x + i) - shift)
            SIMDMath.store16(e, x + i)
            sum16 += e
            i += 16
        }
        var sum = sum16.sum()
        while i < count {
            let e = SIMDMath.exp(x[i] - maxValue)
            x[i] = e
            sum += e
            i += 1
        }
        let inverse = 1 / sum
        i = 0
        while i + 16 <= count {
            SIMDMath.store16(SIMDMath.load16(x + i) * inverse, x + i)
            i += 16
        }
        while i < count {
            x[i] *= inverse
            i += 1
        }
        return sum
    }

    /// The largest of `count` values, 16 lanes at a time (NaN values are skipped).
    @inlinable
    static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        while i + 16 <= count {
            // A compare and blend; `pointwiseMax`'s NaN rules compile to a lane-by-lane loop.
            let v = SIMDMath.load16(x + i)
            lanes.replace(with: v, where: v .> lanes)
            i += 16
        }
        var maxValue = lanes.max()
        while i < count {
            if x[i] > maxValue { maxValue = x[i] }
            i += 1
        }
        return maxValue
    }

    /// The slow, obvious twin in double precision with the C library's `exp`.
    public static func reference(_ x: [Float]) -> [Float] {
        guard let maxValue = x.max() else { return [] }
        let e = x.map { Foundation.exp(Double($0) - Double(maxValue)) }
        let sum = e.reduce(0, +)
        return e.map { Float($0 / sum) }
    }
}
