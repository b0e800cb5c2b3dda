/// Attention scores `q . k_j * scale` of one query against consecutive key rows, in the one
/// summation order every attention path uses, so a row's attention never depends on how the
/// batch around it was formed (a prompt fed in one prefill or token by token gives the same
/// bits): lane `l` of 8 accumulates dimensions `l, l + 8, l + 16, ...` by fused multiply-add
/// in that order, then the lanes add as `((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7))`.
///
/// Keys come as half floats (the cache, read directly by a decode step) or as floats (a cache
/// widened once for a prefill chunk); a half widens to a float exactly, so both give the same
/// scores. On x86-64 Linux eight keys are scored together with `vhaddps` reductions, which add
/// in exactly that order; elsewhere each key is scored by `score`, the portable twin.
/// `headDim` must be a multiple of 8.
public enum AttentionDots {
    /// `scores[j] = (query . keys[j]) * scale` for `j < count`, key j at `keys + j * rowStride`.
    public static func scores(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float16>, rowStride: Int, count: Int, headDim: Int,
        scale: Float, into scores: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        #if arch(x86_64) && os(Linux)
        while j + 8 <= count {
            AVX2AttentionDots.eight(HalfKeys.self, query: query, keys: UnsafeRawPointer(keys + j * rowStride),
                                    rowBytes: 2 * rowStride, headDim: headDim, scale: scale, into: scores + j)
            j += 8
        }
        #endif
        while j < count {
            scores[j] = score(query: query, key: keys + j * rowStride, headDim: headDim) * scale
            j += 1
        }
    }

    /// The same over float keys.
    public static func scores(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, rowStride: Int, count: Int, headDim: Int,
        scale: Float, into scores: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        #if arch(x86_64) && os(Linux)
        while j + 8 <= count {
            AVX2AttentionDots.eight(FloatKeys.self, query: query, keys: UnsafeRawPointer(keys + j * rowStride),
                                    rowBytes: 4 * rowStride, headDim: headDim, scale: scale, into: scores + j)
            j += 8
        }
        #endif
        while j < count {
            scores[j] = score(query: query, key: keys + j * rowStride, headDim: headDim) * scale
            j += 1
        }
    }

    /// One key in the shared order, one lane vector at a time: the portable twin.
    @inline(__always)
    public static func score(query: UnsafePointer<Float>, key: UnsafePointer<Float16>, headDim: Int) -> Float {
        var acc = SIMD8<Float>()
        for c in stride(from: 0, to: headDim, by: 8) {
            let k = SIMD8<Float>(UnsafeRawPointer(key + c).loadUnaligned(as: SIMD8<Float16>.self))
            acc = acc.addingProduct(UnsafeRawPointer(query + c).loadUnaligned(as: SIMD8<Float>.self), k)
        }
        return laneSum(acc)
    }

    @inline(__always)
    public static func score(query: UnsafePointer<Float>, key: UnsafePointer<Float>, headDim: Int) -> Float {
        var acc = SIMD8<Float>()
        for c in stride(from: 0, to: headDim, by: 8) {
            acc = acc.addingProduct(UnsafeRawPointer(query + c).loadUnaligned(as: SIMD8<Float>.self),
                                    UnsafeRawPointer(key + c).loadUnaligned(as: SIMD8<Float>.self))
        }
        return laneSum(acc)
    }

    @inline(__always)
    static func laneSum(_ v: SIMD8<Float>) -> Float {
        ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
    }
}
