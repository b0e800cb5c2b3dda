import Foundation

/// Rotary position embedding (Su et al. 2021): each pair of dimensions `(a, b)` of a head is
/// rotated by the angle `position * f_i`, with `f_i = base^(-2i/dims) / divisor_i * scale`.
public struct RoPE: Sendable, Equatable {
    /// Which dimensions form a rotating pair.
    public enum Pairing: String, Sendable, Equatable {
        /// `(2i, 2i+1)`: llama.cpp's "normal" rope; GGUF `llama`/`deci` files permute Q/K rows for it.
        case adjacent
        /// `(i, i + dims/2)`: "rotate half" (NEOX) rope, used by llama.cpp for `qwen2`.
        case halves
    }

    /// Rotated dimensions per head (the first `dimensions` of each head; the rest pass through).
    public let dimensions: Int
    public let pairing: Pairing
    /// Angle per position for each pair: (dimensions / 2)
    public let frequencies: [Double]

    /// - Parameters:
    ///   - base: `rope.freq_base` (theta).
    ///   - scale: linear position scaling (`1 / rope.scaling.factor`), 1 when unscaled.
    ///   - frequencyDivisors: per-pair divisors (`rope_freqs.weight`, llama3 scaling), or nil.
    public init(base: Double, dimensions: Int, pairing: Pairing, scale: Double = 1, frequencyDivisors: [Float]? = nil) {
        self.dimensions = dimensions
        self.pairing = pairing
        let pairs = dimensions / 2
        frequencies = (0..<pairs).map { i in
            let divisor = frequencyDivisors.map { Double($0[i]) } ?? 1
            return Foundation.pow(base, -2 * Double(i) / Double(dimensions)) / divisor * scale
        }
    }

    /// Floats of one position's `angles` table.
    public var angleCount: Int { dimensions / 2 * 2 }

    /// The cosine then the sine of every pair's angle at `position`: (2, dimensions / 2).
    public func angles(position: Int, into table: UnsafeMutablePointer<Float>) {
        let pairs = dimensions / 2
        for i in 0..<pairs {
            let angle = Double(position) * frequencies[i]
            table[i] = Float(Foundation.cos(angle))
            table[pairs + i] = Float(Foundation.sin(angle))
        }
    }

    /// Rotates `heads` consecutive heads of width `headDim` in place, all at `position`.
    /// - x: (heads, headDim)
    public func rotate(_ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, position: Int) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, angleCount)) { table in
            guard let table = table.baseAddress else { return }
            angles(position: position, into: table)
            rotate(x, heads: heads, headDim: headDim, angles: table)
        }
    }

    /// Rotates `heads` consecutive heads of width `headDim` in place by a position's `angles`
    /// (computed once and shared by the queries and keys of every layer).
    /// - x: (heads, headDim)
    public func rotate(_ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, angles table: UnsafePointer<Float>) {
        let pairs = dimensions / 2
        for h in 0..<heads {
            let head = x + h * headDim
            for i in 0..<pairs {
                let (ia, ib) = pairing == .adjacent ? (2 * i, 2 * i + 1) : (i, i + pairs)
                let a = head[ia]
                let b = head[ib]
                let c = table[i]
                let s = table[pairs + i]
                head[ia] = a * c - b * s
                head[ib] = a * s + b * c
            }
        }
    }

    /// The slow, obvious twin: recomputes every angle from the definition for one head.
    public static func reference(
        _ head: [Float], position: Int, base: Double, dimensions: Int, pairing: Pairing,
        scale: Double = 1, frequencyDivisors: [Float]? = nil
    ) -> [Float] {
        var out = head
        let pairs = dimensions / 2
        for i in 0..<pairs {
            let inverseFrequency = 1 / Foundation.pow(base, Double(2 * i) / Double(dimensions))
            let divisor = frequencyDivisors.map { Double($0[i]) } ?? 1
            let angle = Double(position) * scale * inverseFrequency / divisor
            let ia = pairing == .adjacent ? 2 * i : i
            let ib = pairing == .adjacent ? 2 * i + 1 : i + pairs
            let a = Double(head[ia])
            let b = Double(head[ib])
            out[ia] = Float(a * Foundation.cos(angle) - b * Foundation.sin(angle))
            out[ib] = Float(a * Foundation.sin(angle) + b * Foundation.cos(angle))
        }
        return out
    }
}
