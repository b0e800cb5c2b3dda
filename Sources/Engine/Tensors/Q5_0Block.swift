/// Q5_0: 32 weights as `{ f16 d; u8 qh[4]; u8 qs[16] }` (22 bytes). Weight j < 16 is the low
/// nibble of qs[j], weight j + 16 its high nibble; bit j of the little-endian word qh is weight
/// j's fifth bit; value = d * (q - 16).
public enum Q5_0Block {
    public static let weightCount = 32
    public static let byteCount = 22

    /// Writes the 32 weights of the block at `block` to `y[0..<32]`.
    public static func dequantizeReference(_ block: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        forEachCode(block) { j, code in y[j] = d * Float(code) }
    }

    /// The same 32 weights as a Q8_0 block (34 bytes at `out`): the scale copied, codes q - 16 in
    /// -16...15 as int8. Exact, so a Q5_0 matrix runs on the Q8_0 kernels unchanged in value.
    public static func toQ8_0(_ block: UnsafeRawPointer, into out: UnsafeMutableRawPointer) {
        out.copyMemory(from: block, byteCount: 2)
        forEachCode(block) { j, code in out.storeBytes(of: Int8(code), toByteOffset: 2 + j, as: Int8.self) }
    }

    /// Calls `body(j, q_j - 16)` for the 32 weights in order.
    @inline(__always)
    static func forEachCode(_ block: UnsafeRawPointer, _ body: (Int, Int) -> Void) {
        var qh: UInt32 = 0
        for b in 0..<4 { qh |= UInt32(BlockBytes.byte(block, 2 + b)) << (8 * UInt32(b)) }
        for j in 0..<16 {
            let q = BlockBytes.byte(block, 6 + j)
            let high0 = (qh >> UInt32(j)) & 1, high1 = (qh >> UInt32(j + 16)) & 1
            body(j, Int(UInt32(q & 0x0F) | high0 << 4) - 16)
            body(j + 16, Int(UInt32(q >> 4) | high1 << 4) - 16)
        }
    }
}
