/// Q4_0: 32 weights as `{ f16 d; u8 qs[16] }` (18 bytes). Weight j < 16 is the low nibble of
/// qs[j], weight j + 16 its high nibble; value = d * (q - 8).
public enum Q4_0Block {
    public static let weightCount = 32
    public static let byteCount = 18

    /// Writes the 32 weights of the block at `block` to `y[0..<32]`.
    public static func dequantizeReference(_ block: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        for j in 0..<16 {
            let q = BlockBytes.byte(block, 2 + j)
            y[j] = d * Float(Int(q & 0x0F) - 8)
            y[j + 16] = d * Float(Int(q >> 4) - 8)
        }
    }
}
