import Foundation

/// Scaled dot-product attention of one query head over a run of cached keys and values:
/// `out = sum_j softmax_j(q . k_j * scale) v_j` (Vaswani et al. 2017).
///
/// Keys and values are cached in half precision. The query is rounded to half precision before
/// the dot products and the attention weights before the weighted sum, which is what llama.cpp's
/// CPU path does with its default f16 cache; genrm's greedy tokens are checked against it.
/// Scores are summed in `AttentionDots`' order, as `BlockedAttention` sums them, so a row gets
/// the same bits whichever of the two computes it.
public enum Attention {
    /// - query: (headDim)
    /// - keys, values: `length` rows, row `j` at `j * rowStride` (a cache of several heads per row)
    /// - scores: scratch (length)
    /// - out: (headDim), overwritten
    public static func head(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float16>, values: UnsafePointer<Float16>,
        rowStride: Int, length: Int, headDim: Int, scale: Float,
        scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: headDim) { rounded in
            guard let q = rounded.baseAddress else { return }
            for d in 0..<headDim { q[d] = Float(Float16(query[d])) }
            if headDim % 8 == 0 {
                AttentionDots.scores(query: q, keys: keys, rowStride: rowStride, count: length, headDim: headDim,
                                     scale: scale, into: scores)
            } else {
                for j in 0..<length {
                    scores[j] = SIMDMath.dot(q, keys + j * rowStride, count: headDim) * scale
                }
            }
        }
        Softmax.apply(scores, count: length)
        out.update(repeating: 0, count: headDim)
        for j in 0..<length {
            SIMDMath.axpy(Float(Float16(scores[j])), values + j * rowStride, out, count: headDim)
        }
    }

    /// The slow, obvious twin over arrays in double precision, with the same two roundings to
    /// half precision (query, attention weights) written out.
    /// - query: (headDim); keys, values: (length, headDim)
    public static func reference(query: [Float], keys: [[Float16]], values: [[Float16]], scale: Float) -> [Float] {
        let q = query.map { Double(Float16($0)) }
        let scores = keys.map { key in
            zip(q, key).reduce(0.0) { $0 + $1.0 * Double($1.1) } * Double(scale)
        }
        guard let maxScore = scores.max() else { return Array(repeating: 0, count: query.count) }
        let weights = scores.map { Foundation.exp($0 - maxScore) }
        let total = weights.reduce(0, +)
        var out = [Double](repeating: 0, count: query.count)
        for (weight, value) in zip(weights, values) {
            let p = Double(Float16(weight / total))
            for d in 0..<out.count { out[d] += p * Double(value[d]) }
        }
        return out.map { Float($0) }
    }
}
