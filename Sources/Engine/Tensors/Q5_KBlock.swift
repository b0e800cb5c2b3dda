/// Q5_K: 256 weights as `{ f16 d; f16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128] }` (176 bytes).
/// Like Q4_K with a fifth bit per weight: bit `k` of qh[l] is the high bit of weight l of
/// sub-block k. value = (d * s) * q - (dmin * m), q in 0..<32.
public enum Q5_KBlock {
    public static let weightCount = 256
    public static let byteCount = 176

    /// Writes the 256 weights of the block at `block` to `y[0..<256]`.
    public static func dequantizeReference(_ block: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        let dmin = BlockBytes.half(block, 2)
        let scales = block + 4
        let qh = block + 16
        let qs = block + 48
        for pair in 0..<4 {
            let (s1, m1) = KQuantScales.scaleAndMin(2 * pair, scales)
            let (s2, m2) = KQuantScales.scaleAndMin(2 * pair + 1, scales)
            let d1 = d * Float(s1), min1 = dmin * Float(m1)
            let d2 = d * Float(s2), min2 = dmin * Float(m2)
            let lowBit = UInt8(1) << (2 * pair)
            let highBit = UInt8(1) << (2 * pair + 1)
            for l in 0..<32 {
                let q = BlockBytes.byte(qs, 32 * pair + l)
                let h = BlockBytes.byte(qh, l)
                let q1 = (q & 0x0F) | (h & lowBit != 0 ? 16 : 0)
                let q2 = (q >> 4) | (h & highBit != 0 ? 16 : 0)
                y[64 * pair + l] = d1 * Float(q1) - min1
                y[64 * pair + 32 + l] = d2 * Float(q2) - min2
            }
        }
    }
}
