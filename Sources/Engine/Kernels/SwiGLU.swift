import Foundation

/// The gated activation of Llama's feed-forward block: `h_i = silu(gate_i) * up_i` with
/// `silu(g) = g / (1 + e^-g)` (Shazeer 2020).
public enum SwiGLU {
    /// Writes `silu(gate) * up` into `gate` (in place) over `count` values.
    /// - gate: (count), up: (count)
    @inlinable
    public static func apply(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        var i = 0
        let one = SIMD16<Float>(repeating: 1)
        while i + 16 <= count {
            let g = SIMDMath.load16(gate + i)
            let silu = g / (one + SIMDMath.exp(-g))
            SIMDMath.store16(silu * SIMDMath.load16(up + i), gate + i)
            i += 16
        }
        while i < count {
            let g = gate[i]
            gate[i] = g / (1 + SIMDMath.exp(-g)) * up[i]
            i += 1
        }
    }

    /// The slow, obvious twin with the C library's `exp` in double precision.
    public static func reference(gate: [Float], up: [Float]) -> [Float] {
        zip(gate, up).map { g, u in
            Float(Double(g) / (1 + Foundation.exp(-Double(g))) * Double(u))
        }
    }
}
