import Foundation

/// Root-mean-square normalisation (Zhang & Sennrich 2019): `y = x / sqrt(mean(x^2) + eps) * w`.
public enum RMSNorm {
    /// Normalises `count` values of `x` into `out` (which may alias `x`), scaled by `weight`.
    /// - x: (count), weight: (count), out: (count)
    @inlinable
    public static func apply(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float,
        count: Int, into out: UnsafeMutablePointer<Float>
    ) {
        // Squares summed in double and the mean rounded to float, as ggml does, so a norm of the
        // same inputs gives the same float scale here and in llama.cpp.
        var sum = 0.0
        for i in 0..<count { sum += Double(x[i] * x[i]) }
        let mean = Float(sum / Double(count))
        let inverseRMS = 1 / (mean + epsilon).squareRoot()
        var i = 0
        while i + 16 <= count {
            let v = SIMDMath.load16(x + i) * inverseRMS * SIMDMath.load16(weight + i)
            SIMDMath.store16(v, out + i)
            i += 16
        }
        while i < count {
            out[i] = x[i] * inverseRMS * weight[i]
            i += 1
        }
    }

    /// Normalises each of `rows` rows of width `width` (row-major, contiguous).
    /// - x: (rows, width), out: (rows, width)
    @inlinable
    public static func apply(
        rows: Int, width: Int, _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        epsilon: Float, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            apply(x + r * width, weight: weight, epsilon: epsilon, count: width, into: out + r * width)
        }
    }

    /// `apply(rows:...)` with the rows spread over `pool` (a prefill's norms).
    public static func apply(
        rows: Int, width: Int, _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        epsilon: Float, into out: UnsafeMutablePointer<Float>, pool: ThreadPool
    ) {
        pool.parallelChunks(rows, minimumChunk: 16) { part in
            apply(rows: part.count, width: width, x + part.lowerBound * width, weight: weight, epsilon: epsilon,
                  into: out + part.lowerBound * width)
        }
    }

    /// The slow, obvious twin: double-precision sum, one element at a time.
    public static func reference(_ x: [Float], weight: [Float], epsilon: Float) -> [Float] {
        var sum = 0.0
        for v in x { sum += Double(v) * Double(v) }
        let scale = 1 / (sum / Double(x.count) + Double(epsilon)).squareRoot()
        return zip(x, weight).map { Float(Double($0) * scale) * $1 }
    }
}
