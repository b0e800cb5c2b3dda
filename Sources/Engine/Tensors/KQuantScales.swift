/// The 12-byte scale/min table shared by Q4_K and Q5_K: eight 6-bit scales and eight 6-bit
/// mins, one pair per 32-weight sub-block.
///
/// Bytes 0-3 hold scales 0-3 in their low 6 bits, bytes 4-7 mins 0-3; for sub-blocks 4-7 the
/// low 4 bits come from bytes 8-11 (scale low nibble, min high nibble) and the top 2 bits from
/// the spare high bits of bytes 0-3 (scale) and 4-7 (min).
public enum KQuantScales {
    /// `(scale, min)` of sub-block `j` (0..<8) from the table at `scales`.
    @inlinable @inline(__always)
    public static func scaleAndMin(_ j: Int, _ scales: UnsafeRawPointer) -> (scale: UInt8, min: UInt8) {
        let q = scales.assumingMemoryBound(to: UInt8.self)
        if j < 4 {
            return (q[j] & 63, q[j + 4] & 63)
        }
        let scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4)
        let min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4)
        return (scale, min)
    }
}
