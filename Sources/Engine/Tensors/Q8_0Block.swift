/// Q8_0: 32 weights as `{ f16 d; i8 qs[32] }` (34 bytes); value = q * d.
public enum Q8_0Block {
    public static let weightCount = 32
    public static let byteCount = 34

    /// Writes the 32 weights of the block at `block` to `y[0..<32]`.
    public static func dequantizeReference(_ block: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        for j in 0..<32 {
            y[j] = Float(BlockBytes.signedByte(block, 2 + j)) * d
        }
    }
}
