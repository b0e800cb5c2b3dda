/// Q4_K: 256 weights as `{ f16 d; f16 dmin; u8 scales[12]; u8 qs[128] }` (144 bytes).
/// Eight sub-blocks of 32 with 6-bit scale s and min m (see `KQuantScales`);
/// value = (d * s) * q - (dmin * m). Each 32 bytes of qs hold two sub-blocks: low nibbles the
/// first, high nibbles the second.
public enum Q4_KBlock {
    public static let weightCount = 256
    public static let byteCount = 144

    /// Writes the 256 weights of the block at `block` to `y[0..<256]`.
    public static func dequantizeReference(_ block: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        let dmin = BlockBytes.half(block, 2)
        let scales = block + 4
        let qs = block + 16
        for pair in 0..<4 {
            let (s1, m1) = KQuantScales.scaleAndMin(2 * pair, scales)
            let (s2, m2) = KQuantScales.scaleAndMin(2 * pair + 1, scales)
            let d1 = d * Float(s1), min1 = dmin * Float(m1)
            let d2 = d * Float(s2), min2 = dmin * Float(m2)
            for l in 0..<32 {
                let q = BlockBytes.byte(qs, 32 * pair + l)
                y[64 * pair + l] = d1 * Float(q & 0x0F) - min1
                y[64 * pair + 32 + l] = d2 * Float(q >> 4) - min2
            }
        }
    }
}
