/// Causal attention of a run of consecutive positions of one sequence (a prefill chunk) against
/// its cache, a tile of queries at a time, with the same bits as `Attention.head` gives each
/// query: the scores in `AttentionDots`' order, the softmax of `Softmax.apply`, the weighted sum
/// in position order by fused multiply-add, and both roundings to half precision (query,
/// attention weights).
///
/// The kv head's cached keys and values are widened to floats once per layer (`widen`),
/// instead of once per query head and position as `Attention.head` does; a tile (several
/// positions times the query heads sharing the kv head) then reads them from cache as floats.
public enum BlockedAttention {
    /// Positions per unit of widening work.
    public static let widenBlock = 128

    /// Floats of the widened keys (and of the widened values) of `length` positions.
    public static func widenedCount(length: Int, headDim: Int) -> Int { length * headDim }

    /// Widens positions `range` of one kv head's keys and values.
    /// - keys, values: cache rows of half floats, position j at `j * rowStride`
    /// - widenedKeys, widenedValues: (positions, headDim)
    public static func widen(
        keys: UnsafePointer<Float16>, values: UnsafePointer<Float16>, rowStride: Int, headDim: Int,
        positions range: Range<Int>,
        widenedKeys: UnsafeMutablePointer<Float>, widenedValues: UnsafeMutablePointer<Float>
    ) {
        for j in range {
            widenHalves(keys + j * rowStride, into: widenedKeys + j * headDim, count: headDim)
            widenHalves(values + j * rowStride, into: widenedValues + j * headDim, count: headDim)
        }
    }

    /// Positions whose widened keys (or values) a tile reuses from the L1 cache for all its
    /// queries (16 KiB at 64 dimensions).
    static let keyBlock = 64

    /// Floats of scratch `tile` needs.
    public static func scratchCount(rows: Int, heads: Int, lastLength: Int, headDim: Int) -> Int {
        rows * heads * (headDim + lastLength)
    }

    /// Whether `tile` supports the head width (its value sums run 16 dimensions at a time, as
    /// `Attention.head`'s do when the width is a multiple of 16).
    public static func supports(headDim: Int) -> Bool { headDim > 0 && headDim % 16 == 0 }

    /// `softmax(q . k_j * scale)`-weighted sum of values for `rows` consecutive positions times
    /// `heads` query heads sharing one kv head. Query vector (r, h) is at
    /// `queries + r * rowStride + h * headDim`, sees positions `0..<firstLength + r`, and its
    /// result goes to the same offset of `out`.
    ///
    /// Scores, then values, go a block of `keyBlock` positions at a time through every query
    /// of the tile, so each block is read from memory once per tile rather than once per query.
    /// - widenedKeys, widenedValues: `widen` of at least `firstLength + rows - 1` positions
    /// - scratch: `scratchCount(rows:heads:lastLength:headDim:)` floats
    public static func tile(
        queries: UnsafePointer<Float>, rows: Int, heads: Int, rowStride: Int, firstLength: Int,
        widenedKeys: UnsafePointer<Float>, widenedValues: UnsafePointer<Float>, headDim: Int, scale: Float,
        scratch: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        let count = rows * heads
        let lastLength = firstLength + rows - 1
        let rounded = scratch                         // (count, headDim): queries rounded to half
        let weights = scratch + count * headDim       // (count, lastLength): scores, then weights
        let length = { (t: Int) in firstLength + t / heads }
        let offset = { (t: Int) in (t / heads) * rowStride + (t % heads) * headDim }
        for t in 0..<count {
            roundToHalf(queries + offset(t), into: rounded + t * headDim, count: headDim)
        }
        for start in stride(from: 0, to: lastLength, by: keyBlock) {
            for t in 0..<count where start < length(t) {
                AttentionDots.scores(
                    query: rounded + t * headDim, keys: widenedKeys + start * headDim, rowStride: headDim,
                    count: min(keyBlock, length(t) - start), headDim: headDim, scale: scale,
                    into: weights + t * lastLength + start)
            }
        }
        for t in 0..<count {
            let row = weights + t * lastLength
            Softmax.apply(row, count: length(t))
            roundToHalf(row, into: row, count: length(t))
            (out + offset(t)).update(repeating: 0, count: headDim)
        }
        for start in stride(from: 0, to: lastLength, by: keyBlock) {
            for t in 0..<count where start < length(t) {
                accumulate(weights + t * lastLength + start, count: min(keyBlock, length(t) - start),
                           values: widenedValues + start * headDim, headDim: headDim, into: out + offset(t))
            }
        }
    }

    /// `out += sum_j weights[j] * values[j]` in position order, 64 dimensions at a time in
    /// registers: the same fused multiply-adds, in the same order, as `Attention.head`'s.
    @inline(__always)
    private static func accumulate(
        _ weights: UnsafePointer<Float>, count: Int, values: UnsafePointer<Float>, headDim: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        var d = 0
        while d + 64 <= headDim {
            var a0 = SIMDMath.load16(out + d), a1 = SIMDMath.load16(out + d + 16)
            var a2 = SIMDMath.load16(out + d + 32), a3 = SIMDMath.load16(out + d + 48)
            var v = values + d
            for j in 0..<count {
                let p = SIMD16<Float>(repeating: weights[j])
                a0 = a0.addingProduct(p, SIMDMath.load16(v))
                a1 = a1.addingProduct(p, SIMDMath.load16(v + 16))
                a2 = a2.addingProduct(p, SIMDMath.load16(v + 32))
                a3 = a3.addingProduct(p, SIMDMath.load16(v + 48))
                v += headDim
            }
            SIMDMath.store16(a0, out + d)
            SIMDMath.store16(a1, out + d + 16)
            SIMDMath.store16(a2, out + d + 32)
            SIMDMath.store16(a3, out + d + 48)
            d += 64
        }
        while d + 16 <= headDim {
            var a = SIMDMath.load16(out + d)
            var v = values + d
            for j in 0..<count {
                a = a.addingProduct(SIMD16(repeating: weights[j]), SIMDMath.load16(v))
                v += headDim
            }
            SIMDMath.store16(a, out + d)
            d += 16
        }
    }

    /// `out[i] = Float(Float16(x[i]))`; `out` may be `x`.
    @inline(__always)
    private static func roundToHalf(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            SIMDMath.store16(SIMD16<Float>(SIMD16<Float16>(SIMDMath.load16(x + i))), out + i)
            i += 16
        }
        while i < count {
            out[i] = Float(Float16(x[i]))
            i += 1
        }
    }

    @inline(__always)
    private static func widenHalves(_ x: UnsafePointer<Float16>, into out: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            SIMDMath.store16(SIMDMath.load16(x + i), out + i)
            i += 16
        }
        while i < count {
            out[i] = Float(x[i])
            i += 1
        }
    }
}
