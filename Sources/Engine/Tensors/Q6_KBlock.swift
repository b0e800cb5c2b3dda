/// Q6_K: 256 weights as `{ u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d }` (210 bytes).
/// Sixteen sub-blocks of 16 with signed 8-bit scales; value = (d * scale) * (q - 32) where
/// q is 6 bits: 4 from ql, 2 from qh.
///
/// Each half (128 weights) uses 64 bytes of ql and 32 of qh: for l in 0..<32, weights
/// l, l+32, l+64, l+96 take the low nibble of ql[l], low nibble of ql[l+32], high nibble of
/// ql[l], high nibble of ql[l+32], and bits 0-1, 2-3, 4-5, 6-7 of qh[l].
public enum Q6_KBlock {
    public static let weightCount = 256
    public static let byteCount = 210

    /// Writes the 256 weights of the block at `block` to `y[0..<256]`.
    public static func dequantizeReference(_ block: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 208)
        var q = [UInt8](repeating: 0, count: weightCount)
        codes(block, into: &q)
        for i in 0..<weightCount {
            y[i] = d * Float(BlockBytes.signedByte(block, 192 + i / 16)) * Float(Int(q[i]) - 32)
        }
    }

    /// The 256 unsigned codes q + 32 (0...63) of the block at `block`, in weight order.
    static func codes(_ block: UnsafeRawPointer, into codes: inout [UInt8]) {
        for half in 0..<2 {
            let ql = block + 64 * half
            let qh = block + 128 + 32 * half
            for l in 0..<32 {
                let low0 = BlockBytes.byte(ql, l), low1 = BlockBytes.byte(ql, l + 32)
                let high = BlockBytes.byte(qh, l)
                codes[128 * half + l] = (low0 & 0x0F) | ((high & 3) << 4)
                codes[128 * half + l + 32] = (low1 & 0x0F) | (((high >> 2) & 3) << 4)
                codes[128 * half + l + 64] = (low0 >> 4) | (((high >> 4) & 3) << 4)
                codes[128 * half + l + 96] = (low1 >> 4) | (((high >> 6) & 3) << 4)
            }
        }
    }
}
