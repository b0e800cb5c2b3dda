#if os(Linux)
import Glibc
#endif
import Formats

/// A copy of a Q4_0 / Q4_1 / Q8_0 matrix with each group of 8 rows interleaved block by block,
/// so one 32-byte load holds 4 bytes of each of the 8 rows and a matvec computes 8 rows in the
/// 8 lanes of one vector: no per-row scale conversions or horizontal sums in the inner loop.
///
/// Group g (rows 8g..<8g+8), block j (weights 32j..<32j+32) is `layout.blockBytes` bytes at
/// `base + g * groupBytes + j * layout.blockBytes`:
/// - Q4_0: `d[8]` f16, then 4 chunks of 32 B
/// - Q4_1: `d[8]` f16, `m[8]` f16, then 4 chunks of 32 B
/// - Q8_0: `d[8]` f16, then 8 chunks of 32 B
/// - Q4_K (block = 32-weight sub-block): `d s[8]` f32, `-dmin m[8]` f32, then 4 chunks of 32 B,
///   that is Q4_1 with exact f32 scales (an f16 times a 6-bit integer fits f32's mantissa) and
///   the sub-block's nibbles repacked in Q4_1 order
///
/// where bytes `4r..<4r+4` of chunk k are bytes `4k..<4k+4` of row r's quants: for 4-bit
/// types their low nibbles are weights 4k..<4k+4 and their high nibbles weights 16+4k..<16+4k+4.
/// Rows past the last whole group stay only in the original layout.
///
/// `@unchecked Sendable`: written only in `init`.
final class InterleavedRows: @unchecked Sendable {
    static let rowsPerGroup = 8

    struct Layout {
        /// Bytes of the f16 fields (`d`, and `m` for Q4_1) before the chunks.
        let scaleBytes: Int
        let chunks: Int
        var blockBytes: Int { scaleBytes + 32 * chunks }
        /// Offset of the quants inside one original block.
        let quantOffset: Int

        init?(_ type: GGMLType) {
            switch type {
            case .q4_0: (scaleBytes, chunks, quantOffset) = (16, 4, 2)
            case .q4_1: (scaleBytes, chunks, quantOffset) = (32, 4, 4)
            case .q8_0: (scaleBytes, chunks, quantOffset) = (16, 8, 2)
            case .q4_K: (scaleBytes, chunks, quantOffset) = (64, 4, 0)
            default: return nil
            }
        }
    }

    let layout: Layout
    let groups: Int
    let groupBytes: Int
    let base: UnsafeMutableRawPointer

    /// The interleaved copy of the first `rows / 8 * 8` rows at `source` (`rowByteCount` bytes
    /// each, `blocks` 32-weight blocks per row); nil for other types or fewer than 8 rows.
    init?(type: GGMLType, rows: Int, blocks: Int, source: UnsafeRawPointer, rowByteCount: Int) {
        guard let layout = Layout(type), rows >= Self.rowsPerGroup, blocks > 0 else { return nil }
        self.layout = layout
        groups = rows / Self.rowsPerGroup
        groupBytes = blocks * layout.blockBytes
        let byteCount = groups * groupBytes
        base = Self.allocate(byteCount: byteCount)
        if type == .q4_K {
            fillQ4_K(blocks: blocks, source: source, rowByteCount: rowByteCount)
        } else {
            fill(type, blocks: blocks, source: source, rowByteCount: rowByteCount)
        }
    }

    /// Q4_0 / Q4_1 / Q8_0: scale fields and 4-byte runs of quants copied as they are.
    private func fill(_ type: GGMLType, blocks: Int, source: UnsafeRawPointer, rowByteCount: Int) {
        for g in 0..<groups {
            for j in 0..<blocks {
                let out = base + g * groupBytes + j * layout.blockBytes
                for r in 0..<Self.rowsPerGroup {
                    let block = source + (Self.rowsPerGroup * g + r) * rowByteCount + j * type.bytesPerBlock
                    // f16 fields: d (and m) of row r at 2r (and 16 + 2r).
                    for field in 0..<(layout.scaleBytes / 16) {
                        (out + 16 * field + 2 * r).copyMemory(from: block + 2 * field, byteCount: 2)
                    }
                    for k in 0..<layout.chunks {
                        (out + layout.scaleBytes + 32 * k + 4 * r)
                            .copyMemory(from: block + layout.quantOffset + 4 * k, byteCount: 4)
                    }
                }
            }
        }
    }

    /// Q4_K: every 32-weight sub-block as a Q4_1 block with f32 scale and offset.
    private func fillQ4_K(blocks: Int, source: UnsafeRawPointer, rowByteCount: Int) {
        var packed = [UInt8](repeating: 0, count: 16)
        for g in 0..<groups {
            for j in 0..<blocks {
                let out = base + g * groupBytes + j * layout.blockBytes
                for r in 0..<Self.rowsPerGroup {
                    let superBlock = source + (Self.rowsPerGroup * g + r) * rowByteCount + 144 * (j / 8)
                    let k = j % 8
                    let (scale, min) = KQuantScales.scaleAndMin(k, superBlock + 4)
                    let d = HalfFloat.float(fromBits: UInt16(littleEndian: superBlock.loadUnaligned(as: UInt16.self)))
                    let dmin = HalfFloat.float(fromBits: UInt16(littleEndian: superBlock.loadUnaligned(fromByteOffset: 2,
                                                                                                as: UInt16.self)))
                    out.storeBytes(of: d * Float(scale), toByteOffset: 4 * r, as: Float.self)
                    out.storeBytes(of: -(dmin * Float(min)), toByteOffset: 32 + 4 * r, as: Float.self)
                    // Sub-block k = 2p (+1) is the low (high) nibbles of qs[32p..<32p+32].
                    let qs = superBlock + 16 + 32 * (k / 2)
                    let shift: UInt8 = k % 2 == 0 ? 0 : 4
                    for b in 0..<16 {
                        let low = (qs.load(fromByteOffset: b, as: UInt8.self) >> shift) & 0x0F
                        let high = (qs.load(fromByteOffset: b + 16, as: UInt8.self) >> shift) & 0x0F
                        packed[b] = low | high << 4
                    }
                    packed.withUnsafeBytes { bytes in
                        for chunk in 0..<layout.chunks {
                            (out + layout.scaleBytes + 32 * chunk + 4 * r)
                                .copyMemory(from: bytes.baseAddress! + 4 * chunk, byteCount: 4)
                        }
                    }
                }
            }
        }
    }

    deinit { base.deallocate() }

    /// 2 MiB-aligned memory, which Linux backs with huge pages when asked: streaming the weights
    /// of a matvec then needs far fewer TLB walks (about 30% more read bandwidth measured).
    private static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let hugePage = 1 << 21
        let size = (byteCount + hugePage - 1) / hugePage * hugePage
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: hugePage)
        #if os(Linux)
        _ = madvise(memory, size, MADV_HUGEPAGE)
        #endif
        return memory
    }
}
