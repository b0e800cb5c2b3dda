#if os(Linux)
import Glibc
#endif
import Formats

/// A copy of a quantised matrix with each group of 8 rows interleaved block by block, so one
/// 32-byte load holds 4 bytes of each of the 8 rows and a matvec computes 8 rows in the 8
/// lanes of one vector: no per-row scale conversions or horizontal sums in the inner loop.
///
/// Group g (rows 8g..<8g+8), block j is `layout.blockBytes` bytes at
/// `base + g * groupBytes + j * layout.blockBytes` (`groupBytes` rounded up to whole cache
/// lines), a block being 32 weights or, for the
/// K-quants, one 256-weight super-block:
/// - Q4_0: `d[8]` f16, then 4 chunks of 32 B
/// - Q4_1: `d[8]` f16, `m[8]` f16, then 4 chunks of 32 B
/// - Q8_0 (288 B): `d[8]` f16, `sum[8]` int16 (each row's 32 codes added up, for kernels
///   that read the codes as unsigned), then 8 chunks of 32 B at a 32-byte offset
/// - Q4_K (1184 B, 4.625 bits a weight, 4.5 in the file): `d[8]`, `dmin[8]` f16, the 6-bit
///   scales `[8 sub-blocks][8 rows]` and mins `[8][8]` as bytes, then for each 32-weight
///   sub-block 4 chunks in Q4_1 order
/// - Q5_K (1440 B, 5.625 bits a weight, 5.5 in the file): as Q4_K with each sub-block's 4
///   chunks followed by 32 B of fifth bits: lane r's bit `8i + c` is that of the low-nibble
///   weight of chunk c's byte i, bit `8i + 4 + c` that of its high-nibble weight
/// - Q6_K (1696 B: the file's 1680 and 16 of padding): a 160 B header, `d[8]` f16 and the
///   scales `[16 sub-blocks][8 rows]` int8 (then 16 B unused, so the codes' 32-byte loads
///   never straddle a cache line), then 1536 B of codes q + 32 (0...63), 192 B per 32
///   weights (block b, offsets from the codes' start): for each half h (weights 16h..<16h+16)
///   three 32 B words at `192 b + 96 h + 32 k`, byte 4r + i of word k holding code
///   16h + 4k + i of row r in bits 0-5 and bits 2k, 2k + 1 of code 16h + 12 + i in bits 6-7,
///   so a kernel gets four code words from three with eight register operations (the earlier
///   4 + 2 bit split took fourteen). Everything is read in address
///   order: a stream with holes or jumps (headers after a group's codes) left the hardware
///   prefetcher behind, at 10 GB/s instead of 22 on one thread.
///
/// where bytes `4r..<4r+4` of chunk k are 4 quants of row r: for 4-bit codes their low
/// nibbles are weights 4k..<4k+4 of the 32 and their high nibbles weights 16+4k..<16+4k+4
/// (the K-quant kernels are in CPUKernels/KQuantKernels.h).
/// Rows past the last whole group stay only in the original layout.
///
/// `@unchecked Sendable`: written only in `init`.
final class InterleavedRows: @unchecked Sendable {
    static let rowsPerGroup = 8
    static let cacheLine = 64

    struct Layout {
        /// Bytes of the scale fields before the chunks.
        let scaleBytes: Int
        /// Bytes of codes after them.
        let codeBytes: Int
        /// Weights of one block of a row: 32, or 256 for the K-quants' super-blocks.
        let weights: Int
        var blockBytes: Int { scaleBytes + codeBytes }
        /// 32-byte chunks of one 32-weight block (Q4_0, Q4_1, Q8_0).
        var chunks: Int { codeBytes / 32 }
        /// Offset of the quants inside one original block (Q4_0, Q4_1, Q8_0).
        let quantOffset: Int
        /// The f16 fields of one original block copied 8 at a time (d; Q4_1 d and m).
        var halfFields: Int { quantOffset / 2 }

        init?(_ type: GGMLType) {
            switch type {
            case .q4_0: (scaleBytes, codeBytes, weights, quantOffset) = (16, 128, 32, 2)
            case .q4_1: (scaleBytes, codeBytes, weights, quantOffset) = (32, 128, 32, 4)
            case .q8_0: (scaleBytes, codeBytes, weights, quantOffset) = (32, 256, 32, 2)
            case .q4_K: (scaleBytes, codeBytes, weights, quantOffset) = (160, 1024, 256, 0)
            case .q5_K: (scaleBytes, codeBytes, weights, quantOffset) = (160, 1280, 256, 0)
            case .q6_K: (scaleBytes, codeBytes, weights, quantOffset) = (160, 1536, 256, 0)
            default: return nil
            }
        }
    }

    let layout: Layout
    let groups: Int
    let groupBytes: Int
    let base: UnsafeMutableRawPointer

    /// The interleaved copy of the first `rows / 8 * 8` rows at `source` (`rowByteCount` bytes
    /// each, `cols` weights per row); nil for other types or fewer than 8 rows.
    init?(type: GGMLType, rows: Int, cols: Int, source: UnsafeRawPointer, rowByteCount: Int) {
        guard let layout = Layout(type), let (groups, groupBytes) = Self.shape(type: type, rows: rows, cols: cols) else { return nil }
        self.layout = layout
        self.groups = groups
        self.groupBytes = groupBytes
        let blocks = cols / layout.weights
        base = Self.allocate(byteCount: groups * groupBytes)
        switch type {
        case .q4_K, .q5_K: fillQ4_K(type, blocks: blocks, source: source, rowByteCount: rowByteCount)
        case .q6_K: fillQ6_K(blocks: blocks, source: source, rowByteCount: rowByteCount)
        default: fill(type, blocks: blocks, source: source, rowByteCount: rowByteCount)
        }
    }

    /// The groups of a `rows x cols` matrix of `type` and the bytes of each; nil where it is not
    /// interleaved (another type, fewer than 8 rows or a row shorter than one block).
    static func shape(type: GGMLType, rows: Int, cols: Int) -> (groups: Int, groupBytes: Int)? {
        guard let layout = Layout(type), rows >= rowsPerGroup, cols >= layout.weights else { return nil }
        let blocks = cols / layout.weights
        // Whole cache lines per group, so every group starts where the first does (a Q6_K group
        // of 35 super-blocks is 58,800 B: unpadded, odd groups' 32-byte loads split lines).
        return (rows / rowsPerGroup, (blocks * layout.blockBytes + cacheLine - 1) / cacheLine * cacheLine)
    }

    /// Q4_0 / Q4_1 / Q8_0: scale fields and 4-byte runs of quants copied as they are (and Q8_0's
/// code sums).
    private func fill(_ type: GGMLType, blocks: Int, source: UnsafeRawPointer, rowByteCount: Int) {
        for g in 0..<groups {
            for j in 0..<blocks {
                let out = base + g * groupBytes + j * layout.blockBytes
                for r in 0..<Self.rowsPerGroup {
                    let block = source + (Self.rowsPerGroup * g + r) * rowByteCount + j * type.bytesPerBlock
                    // f16 fields: d (and m) of row r at 2r (and 16 + 2r).
                    for field in 0..<layout.halfFields {
                        (out + 16 * field + 2 * r).copyMemory(from: block + 2 * field, byteCount: 2)
                    }
                    for k in 0..<layout.chunks {
                        (out + layout.scaleBytes + 32 * k + 4 * r)
                            .copyMemory(from: block + layout.quantOffset + 4 * k, byteCount: 4)
                    }
                    if type == .q8_0 {
                        var sum: Int16 = 0
                        for i in 0..<32 { sum += Int16(block.load(fromByteOffset: 2 + i, as: Int8.self)) }
                        out.storeBytes(of: sum, toByteOffset: 16 + 2 * r, as: Int16.self)
                    }
                }
            }
        }
    }

    /// Q4_K and Q5_K super-blocks: f16 fields copied, 6-bit scales and mins unpacked to bytes,
    /// each sub-block's nibbles (low or high nibbles of its 32 bytes of qs) repacked in Q4_1
    /// order, and for Q5_K its fifth bits (bit k of qh[l] for weight l of sub-block k) after them.
    private func fillQ4_K(_ type: GGMLType, blocks: Int, source: UnsafeRawPointer, rowByteCount: Int) {
        let fiveBit = type == .q5_K
        let (sourceBytes, qsOffset, subBlockBytes) = fiveBit ? (Q5_KBlock.byteCount, 48, 160) : (Q4_KBlock.byteCount, 16, 128)
        for g in 0..<groups {
            for j in 0..<blocks {
                let out = base + g * groupBytes + j * layout.blockBytes
                for r in 0..<Self.rowsPerGroup {
                    let block = source + (Self.rowsPerGroup * g + r) * rowByteCount + sourceBytes * j
                    (out + 2 * r).copyMemory(from: block, byteCount: 2)
                    (out + 16 + 2 * r).copyMemory(from: block + 2, byteCount: 2)
                    for k in 0..<8 {
                        let (scale, min) = KQuantScales.scaleAndMin(k, block + 4)
                        out.storeBytes(of: scale, toByteOffset: 32 + 8 * k + r, as: UInt8.self)
                        out.storeBytes(of: min, toByteOffset: 96 + 8 * k + r, as: UInt8.self)
                        // Sub-block k = 2p (+1) is the low (high) nibbles of qs[32p..<32p+32].
                        let qs = block + qsOffset + 32 * (k / 2)
                        let shift: UInt8 = k % 2 == 0 ? 0 : 4
                        let chunks = 160 + subBlockBytes * k
                        var fifthBits: UInt32 = 0
                        for c in 0..<4 {
                            for i in 0..<4 {
                                let low = (BlockBytes.byte(qs, 4 * c + i) >> shift) & 0x0F
                                let high = (BlockBytes.byte(qs, 16 + 4 * c + i) >> shift) & 0x0F
                                out.storeBytes(of: low | high << 4, toByteOffset: chunks + 32 * c + 4 * r + i, as: UInt8.self)
                                guard fiveBit else { continue }
                                let lowBit = UInt32(BlockBytes.byte(block, 16 + 4 * c + i) >> k & 1)
                                let highBit = UInt32(BlockBytes.byte(block, 16 + 16 + 4 * c + i) >> k & 1)
                                fifthBits |= lowBit << (8 * i + c) | highBit << (8 * i + 4 + c)
                            }
                        }
                        if fiveBit { out.storeBytes(of: fifthBits, toByteOffset: chunks + 128 + 4 * r, as: UInt32.self) }
                    }
                }
            }
        }
    }

    /// Q6_K super-blocks: d and the scales copied into each super-block's header, the
    /// codes q + 32 (0...63) in three words per 16 weights, the fourth word's codes spread
    /// two bits at a time over the top bits of the other three.
    private func fillQ6_K(blocks: Int, source: UnsafeRawPointer, rowByteCount: Int) {
        var codes = [UInt8](repeating: 0, count: Q6_KBlock.weightCount)
        for g in 0..<groups {
            for j in 0..<blocks {
                let header = base + g * groupBytes + j * layout.blockBytes
                let out = header + layout.scaleBytes
                for r in 0..<Self.rowsPerGroup {
                    let block = source + (Self.rowsPerGroup * g + r) * rowByteCount + Q6_KBlock.byteCount * j
                    Q6_KBlock.codes(block, into: &codes)
                    (header + 2 * r).copyMemory(from: block + 208, byteCount: 2)
                    for sub in 0..<16 {
                        header.storeBytes(of: BlockBytes.byte(block, 192 + sub), toByteOffset: 16 + 8 * sub + r, as: UInt8.self)
                    }
                    for b in 0..<8 {
                        for half in 0..<2 {
                            let first = 32 * b + 16 * half
                            for k in 0..<3 {
                                for i in 0..<4 {
                                    let spread = (codes[first + 12 + i] >> (2 * UInt8(k))) & 3
                                    out.storeBytes(of: codes[first + 4 * k + i] | spread << 6,
                                                   toByteOffset: 192 * b + 96 * half + 32 * k + 4 * r + i, as: UInt8.self)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    deinit { Self.deallocate(base, byteCount: groups * groupBytes) }

    /// Memory for the copy: on Linux packed into huge-page regions (`HugePageArena`).
    private static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        #if os(Linux)
        guard let memory = HugePageArena.shared.allocate(byteCount: byteCount) else {
            fatalError("cannot map \(byteCount) bytes for a weight matrix's interleaved copy: out of memory")
        }
        return memory
        #else
        return UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        #endif
    }

    private static func deallocate(_ memory: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        HugePageArena.shared.deallocate(memory, byteCount: byteCount)
        #else
        memory.deallocate()
        #endif
    }
}
