#if arch(x86_64) && os(Linux)
import _Builtin_intrinsics.intel

/// Dot products of one group of 8 interleaved rows (`InterleavedRows`) with quantised
/// activation vectors, the 8 results of a vector in the 8 lanes of one vector register.
///
/// Lane r of chunk k holds 4 quants of row r, so multiplying it by activation bytes
/// `4k..<4k+4` broadcast to every lane (`vpbroadcastd`) advances all 8 row sums at once;
/// `vpmaddubsw` adds byte pairs into Int16, `vpmaddwd` by ones adds the Int16 pairs of each lane.
/// Scales are converted 8 at a time (`vcvtph2ps`) and nothing is reduced across lanes. The
/// four-vector form (prefill) unpacks each chunk once for four activation vectors.
protocol AVX2GroupKernel {
    /// Bytes of one interleaved block (8 rows x 32 weights).
    static var blockBytes: Int { get }
    /// Integer dot of one interleaved block with one 32-byte activation block, per row lane.
    static func integerDot(_ block: UnsafeRawPointer, _ a: UnsafeRawPointer) -> __m256i
    /// `integerDot` for four activation blocks `a + v * stride`.
    static func integerDot4(_ block: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int)
        -> (__m256i, __m256i, __m256i, __m256i)
    /// The block's per-row scale `d` and zero-point factor `m` (zero for types without one).
    static func rowScales(_ block: UnsafeRawPointer) -> (d: __m256, m: __m256)
    /// Whether `m` is used: the block's dot is `d d_a isum + m s_a`, or `d d_a isum` without.
    static var hasOffset: Bool { get }
}

extension AVX2GroupKernel {
    /// Adds a block's scaled integer dot and zero-point term (row scales `d`, `m`; activation
    /// scale `da`, scaled code sum `sa`) to `acc`. The one- and four-vector forms both go
    /// through here, so a vector's result does not depend on the batch around it.
    @inline(__always)
    static func scale(_ isum: __m256i, d: __m256, m: __m256, da: Float, sa: Float, acc: inout __m256) {
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_mul_ps(d, _mm256_set1_ps(da)), acc)
        if hasOffset { acc = _mm256_fmadd_ps(m, _mm256_set1_ps(sa), acc) }
    }

    /// The 8 rows of `group` dotted with one activation vector.
    @inline(__always)
    static func dot(_ group: UnsafeRawPointer, _ a: UnsafeRawPointer, _ scales: UnsafePointer<Float>,
                    _ sums: UnsafePointer<Float>, blocks: Int) -> __m256 {
        var acc = _mm256_setzero_ps()
        for j in 0..<blocks {
            let block = group + blockBytes * j
            let (d, m) = rowScales(block)
            scale(integerDot(block, a + 32 * j), d: d, m: m, da: scales[j], sa: sums[j], acc: &acc)
        }
        return acc
    }

    /// The 8 rows of `group` dotted with four activation vectors, block j of vector v at
    /// `a + (4 j + v) * 32` with its scale and sum at `4 j + v` (`ActivationQuads`).
    @inline(__always)
    static func dot4(_ group: UnsafeRawPointer, _ a: UnsafeRawPointer, _ scales: UnsafePointer<Float>,
                     _ sums: UnsafePointer<Float>, blocks: Int) -> (__m256, __m256, __m256, __m256) {
        var acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps()
        var acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps()
        for j in 0..<blocks {
            let block = group + blockBytes * j
            let (i0, i1, i2, i3) = integerDot4(block, a + 128 * j, stride: 32)
            let (d, m) = rowScales(block)   // converted once for the four vectors
            let s = 4 * j
            scale(i0, d: d, m: m, da: scales[s], sa: sums[s], acc: &acc0)
            scale(i1, d: d, m: m, da: scales[s + 1], sa: sums[s + 1], acc: &acc1)
            scale(i2, d: d, m: m, da: scales[s + 2], sa: sums[s + 2], acc: &acc2)
            scale(i3, d: d, m: m, da: scales[s + 3], sa: sums[s + 3], acc: &acc3)
        }
        return (acc0, acc1, acc2, acc3)
    }
}

extension AVX2 {
    /// Activation bytes `offset..<offset + 4` in every 32-bit lane.
    @inline(__always)
    static func broadcast4(_ a: UnsafeRawPointer, _ offset: Int) -> __m256i {
        _mm256_set1_epi32(a.loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }

    /// Eight f16 values at `p` as floats.
    @inline(__always)
    static func halves8(_ p: UnsafeRawPointer) -> __m256 {
        _mm256_cvtph_ps(p.loadUnaligned(as: __m128i.self))
    }

    /// The low and high nibbles of interleaved 4-bit chunk k.
    @inline(__always)
    static func nibbleChunk(_ chunks: UnsafeRawPointer, _ k: Int) -> (low: __m256i, high: __m256i) {
        let mask = _mm256_set1_epi8(0x0F)
        let chunk = (chunks + 32 * k).loadUnaligned(as: __m256i.self)
        return (_mm256_and_si256(chunk, mask), _mm256_and_si256(_mm256_srli_epi16(chunk, 4), mask))
    }

    /// Int16 pair sums of one nibble chunk with activation block `a`, for accumulation in
    /// Int16: each lane is at most 2 * 15 * 128 = 3840 in magnitude, so the 4 chunks of a block
    /// (8 of these) add up to at most 30720 before the one widening `vpmaddwd`.
    @inline(__always)
    static func nibblePairs(_ chunk: (low: __m256i, high: __m256i), _ a: UnsafeRawPointer, _ k: Int) -> __m256i {
        _mm256_add_epi16(_mm256_maddubs_epi16(chunk.low, broadcast4(a, 4 * k)),
                         _mm256_maddubs_epi16(chunk.high, broadcast4(a, 16 + 4 * k)))
    }

    @inline(__always)
    static func widenPairs(_ pairs: __m256i) -> __m256i {
        _mm256_madd_epi16(pairs, _mm256_set1_epi16(1))
    }
}

/// The integer part shared by the 4-bit types: 4 nibble chunks after `scaleBytes` of scales.
protocol AVX2NibbleGroupKernel: AVX2GroupKernel {
    static var scaleBytes: Int { get }
}

extension AVX2NibbleGroupKernel {
    @inline(__always)
    static func integerDot(_ block: UnsafeRawPointer, _ a: UnsafeRawPointer) -> __m256i {
        let chunks = block + scaleBytes
        var pairs = AVX2.nibblePairs(AVX2.nibbleChunk(chunks, 0), a, 0)
        for k in 1..<4 {
            pairs = _mm256_add_epi16(pairs, AVX2.nibblePairs(AVX2.nibbleChunk(chunks, k), a, k))
        }
        return AVX2.widenPairs(pairs)
    }

    @inline(__always)
    static func integerDot4(_ block: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int)
        -> (__m256i, __m256i, __m256i, __m256i) {
        let chunks = block + scaleBytes
        var p0 = _mm256_setzero_si256(), p1 = _mm256_setzero_si256()
        var p2 = _mm256_setzero_si256(), p3 = _mm256_setzero_si256()
        for k in 0..<4 {
            let chunk = AVX2.nibbleChunk(chunks, k)
            p0 = _mm256_add_epi16(p0, AVX2.nibblePairs(chunk, a, k))
            p1 = _mm256_add_epi16(p1, AVX2.nibblePairs(chunk, a + stride, k))
            p2 = _mm256_add_epi16(p2, AVX2.nibblePairs(chunk, a + 2 * stride, k))
            p3 = _mm256_add_epi16(p3, AVX2.nibblePairs(chunk, a + 3 * stride, k))
        }
        return (AVX2.widenPairs(p0), AVX2.widenPairs(p1), AVX2.widenPairs(p2), AVX2.widenPairs(p3))
    }
}

/// Q4_0 groups (`d[8]`, 4 chunks): d d_a isum - 8 d s_a per row.
enum Q4_0Group: AVX2NibbleGroupKernel {
    static var blockBytes: Int { 144 }
    static var scaleBytes: Int { 16 }

    static var hasOffset: Bool { true }

    /// m = -8 d (exact: a power of two), so `m s_a` is the old `d (-8 s_a)` bit for bit.
    @inline(__always)
    static func rowScales(_ block: UnsafeRawPointer) -> (d: __m256, m: __m256) {
        let d = AVX2.halves8(block)
        return (d, _mm256_mul_ps(d, _mm256_set1_ps(-8)))
    }
}

/// Q4_1 groups (`d[8]`, `m[8]`, 4 chunks): d d_a isum + m s_a per row.
enum Q4_1Group: AVX2NibbleGroupKernel {
    static var blockBytes: Int { 160 }
    static var scaleBytes: Int { 32 }

    static var hasOffset: Bool { true }

    @inline(__always)
    static func rowScales(_ block: UnsafeRawPointer) -> (d: __m256, m: __m256) {
        (AVX2.halves8(block), AVX2.halves8(block + 16))
    }
}
#endif
