/// Q4_1: 32 weights as `{ f16 d; f16 m; u8 qs[16] }` (20 bytes). Weight j < 16 is the low
/// nibble of qs[j], weight j + 16 its high nibble; value = d * q + m.
public enum Q4_1Block {
    public static let weightCount = 32
    public static let byteCount = 20

    /// Writes the 32 weights of the block at `block` to `y[0..<32]`.
    public static func dequantizeReference(_ block: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        let m = BlockBytes.half(block, 2)
        for j in 0..<16 {
            let q = BlockBytes.byte(block, 4 + j)
            y[j] = d * Float(q & 0x0F) + m
            y[j + 16] = d * Float(q >> 4) + m
        }
    }
}
