#if arch(x86_64) && os(Linux)
import _Builtin_intrinsics.intel

/// Key rows as `AVX2AttentionDots` reads them: 8 consecutive elements widened to floats.
protocol AVX2KeyRows {
    static var bytesPerElement: Int { get }
    static func load8(_ p: UnsafeRawPointer) -> __m256
}

/// Half-float keys (the cache), widened with `vcvtph2ps`.
enum HalfKeys: AVX2KeyRows {
    static var bytesPerElement: Int { 2 }
    @inline(__always)
    static func load8(_ p: UnsafeRawPointer) -> __m256 { _mm256_cvtph_ps(p.loadUnaligned(as: __m128i.self)) }
}

/// Float keys (a widened cache).
enum FloatKeys: AVX2KeyRows {
    static var bytesPerElement: Int { 4 }
    @inline(__always)
    static func load8(_ p: UnsafeRawPointer) -> __m256 { p.loadUnaligned(as: __m256.self) }
}

/// Eight attention scores at a time in `AttentionDots`' summation order: one accumulator per
/// key (lane l: dimensions l, l + 8, ... by `vfmadd`), then `vhaddps` twice and one add of the
/// 128-bit halves, which adds each key's lanes as `((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7))`
/// and leaves the eight sums in one register.
enum AVX2AttentionDots {
    @inline(__always)
    static func eight<K: AVX2KeyRows>(
        _: K.Type, query: UnsafePointer<Float>, keys: UnsafeRawPointer, rowBytes: Int, headDim: Int, scale: Float,
        into out: UnsafeMutablePointer<Float>
    ) {
        var a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps()
        var a4 = _mm256_setzero_ps(), a5 = _mm256_setzero_ps(), a6 = _mm256_setzero_ps(), a7 = _mm256_setzero_ps()
        var c = 0
        while c < headDim {
            let q = UnsafeRawPointer(query + c).loadUnaligned(as: __m256.self)
            let k = keys + c * K.bytesPerElement
            a0 = _mm256_fmadd_ps(q, K.load8(k), a0)
            a1 = _mm256_fmadd_ps(q, K.load8(k + rowBytes), a1)
            a2 = _mm256_fmadd_ps(q, K.load8(k + 2 * rowBytes), a2)
            a3 = _mm256_fmadd_ps(q, K.load8(k + 3 * rowBytes), a3)
            a4 = _mm256_fmadd_ps(q, K.load8(k + 4 * rowBytes), a4)
            a5 = _mm256_fmadd_ps(q, K.load8(k + 5 * rowBytes), a5)
            a6 = _mm256_fmadd_ps(q, K.load8(k + 6 * rowBytes), a6)
            a7 = _mm256_fmadd_ps(q, K.load8(k + 7 * rowBytes), a7)
            c += 8
        }
        // Lanes of `first`: keys 0-3 with their lanes 0-3 summed, then the same of lanes 4-7.
        let first = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3))
        let second = _mm256_hadd_ps(_mm256_hadd_ps(a4, a5), _mm256_hadd_ps(a6, a7))
        let sums = __m256(lowHalf: first.lowHalf + first.highHalf, highHalf: second.lowHalf + second.highHalf)
        UnsafeMutableRawPointer(out).storeBytes(of: _mm256_mul_ps(sums, _mm256_set1_ps(scale)), as: __m256.self)
    }
}
#endif
