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
        // One pointer per key, so each load is `base + offset` with one shared offset step.
        let k0 = keys, k1 = keys + rowBytes, k2 = keys + 2 * rowBytes, k3 = keys + 3 * rowBytes
        let k4 = keys + 4 * rowBytes, k5 = keys + 5 * rowBytes, k6 = keys + 6 * rowBytes, k7 = keys + 7 * rowBytes
        let step = 8 * K.bytesPerElement
        let end = headDim * K.bytesPerElement
        var q = UnsafeRawPointer(query)
        var offset = 0
        while offset < end {
            let x = q.loadUnaligned(as: __m256.self)
            a0 = _mm256_fmadd_ps(x, K.load8(k0 + offset), a0)
            a1 = _mm256_fmadd_ps(x, K.load8(k1 + offset), a1)
            a2 = _mm256_fmadd_ps(x, K.load8(k2 + offset), a2)
            a3 = _mm256_fmadd_ps(x, K.load8(k3 + offset), a3)
            a4 = _mm256_fmadd_ps(x, K.load8(k4 + offset), a4)
            a5 = _mm256_fmadd_ps(x, K.load8(k5 + offset), a5)
            a6 = _mm256_fmadd_ps(x, K.load8(k6 + offset), a6)
            a7 = _mm256_fmadd_ps(x, K.load8(k7 + offset), a7)
            q += 32
            offset += step
        }
        // Lanes of `first`: keys 0-3 with their lanes 0-3 summed, then the same of lanes 4-7.
        let first = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3))
        let second = _mm256_hadd_ps(_mm256_hadd_ps(a4, a5), _mm256_hadd_ps(a6, a7))
        let sums = __m256(lowHalf: first.lowHalf + first.highHalf, highHalf: second.lowHalf + second.highHalf)
        UnsafeMutableRawPointer(out).storeBytes(of: _mm256_mul_ps(sums, _mm256_set1_ps(scale)), as: __m256.self)
    }
}
#endif
