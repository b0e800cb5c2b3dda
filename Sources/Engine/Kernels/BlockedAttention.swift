/// Causal attention of a run of consecutive positions of one sequence (a prefill chunk) against
/// its cache, a tile of queries at a time, with the same bits as `Attention.head` gives each
/// query: the scores in `AttentionDots`' order, the softmax of `Softmax.apply`, the weighted sum
/// in position order by fused multiply-add, and both roundings to half precision (query,
/// attention weights).
///
/// The kv head's cached keys and values are widened to floats once per forward pass (`widen`),
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

    /// Floats of scratch `tile` needs.
    public static func scratchCount(lastLength: Int, headDim: Int) -> Int {
        headDim + lastLength
    }

    /// Whether `tile` supports the head width (its value sums run 16 dimensions at a time, as
    /// `Attention.head`'s do when the width is a multiple of 16).
    public static func supports(headDim: Int) -> Bool { headDim > 0 && headDim % 16 == 0 }

    /// `softmax(q . k_j * scale)`-weighted sum of values for `rows` consecutive positions times
    /// `heads` query heads sharing one kv head. Query vector (r, h) is at
    /// `queries + r * rowStride + h * headDim`, sees positions `0..<firstLength + r`, and its
    /// result goes to the same offset of `out`.
    /// - widenedKeys, widenedValues: `widen` of at least `firstLength + rows - 1` positions
    /// - scratch: `scratchCount(lastLength:headDim:)` floats
    public static func tile(
        queries: UnsafePointer<Float>, rows: Int, heads: Int, rowStride: Int, firstLength: Int,
        widenedKeys: UnsafePointer<Float>, widenedValues: UnsafePointer<Float>, headDim: Int, scale: Float,
        scratch: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        let rounded = scratch             // (headDim): the query rounded to half
        let weights = scratch + headDim   // (length)
        for r in 0..<rows {
            let length = firstLength + r
            for h in 0..<heads {
                let offset = r * rowStride + h * headDim
                roundToHalf(queries + offset, into: rounded, count: headDim)
                AttentionDots.scores(query: rounded, keys: widenedKeys, rowStride: headDim, count: length,
                                     headDim: headDim, scale: scale, into: weights)
                Softmax.apply(weights, count: length)
                roundToHalf(weights, into: weights, count: length)
                weightedSum(weights, count: length, values: widenedValues, headDim: headDim, out: out + offset)
            }
        }
    }

    /// `out = sum_j weights[j] * values[j]` in position order, 64 dimensions at a time in registers.
    @inline(__always)
    private static func weightedSum(
        _ weights: UnsafePointer<Float>, count: Int, values: UnsafePointer<Float>, headDim: Int,
        out: UnsafeMutablePointer<Float>
    ) {
        var d = 0
        while d + 64 <= headDim {
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
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
            var a = SIMD16<Float>()
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
