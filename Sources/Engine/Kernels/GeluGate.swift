import Foundation

/// The gated activation of Gemma's feed-forward block (GeGLU): `h_i = gelu(gate_i) * up_i` with
/// the tanh approximation `gelu(g) = g / 2 * (1 + tanh(sqrt(2 / pi) * (g + 0.044715 g^3)))`
/// (Hendrycks & Gimpel 2016), as Gemma's `gelu_pytorch_tanh`.
public enum GeluGate {
    @usableFromInline static let c = Float((2 / Double.pi).squareRoot())

    /// Writes `gelu(gate) * up` into `gate` (in place) over `count` values.
    /// - gate: (count), up: (count)
    @inlinable
    public static func apply(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        var i = 0
        let one = SIMD16<Float>(repeating: 1), two = SIMD16<Float>(repeating: 2)
        while i + 16 <= count {
            let g = SIMDMath.load16(gate + i)
            let u = c * (g + 0.044715 * g * g * g)
            // tanh(u) = 1 - 2 / (e^(2u) + 1); e^(2u) saturates to 0 or inf, tanh to -1 or 1.
            let tanh = one - two / (SIMDMath.exp(two * u) + one)
            SIMDMath.store16(0.5 * g * (one + tanh) * SIMDMath.load16(up + i), gate + i)
            i += 16
        }
        while i < count {
            let g = gate[i]
            let u = c * (g + 0.044715 * g * g * g)
            let tanh = 1 - 2 / (SIMDMath.exp(2 * u) + 1)
            gate[i] = 0.5 * g * (1 + tanh) * up[i]
            i += 1
        }
    }

    /// The slow, obvious twin in double precision with the C library's `tanh`.
    public static func reference(gate: [Float], up: [Float]) -> [Float] {
        zip(gate, up).map { g, u in
            let x = Double(g)
            let inner = (2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)
            return Float(0.5 * x * (1 + Foundation.tanh(inner)) * Double(u))
        }
    }
}
