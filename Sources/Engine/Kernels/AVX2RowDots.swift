#if arch(x86_64) && os(Linux)
import _Builtin_intrinsics.intel

/// Row dot products of quantised weights with quantised activations from an `AVX2BlockKernel`:
/// four rows at a time share each activation block's load and scales (the decode hot path),
/// single rows take the remainder. Accumulators stay in registers for the whole row and are
/// reduced once at its end.
enum AVX2RowDots {
    /// `[d_a, s_a, 0, 0]` of activation block `j`.
    @inline(__always)
    static func scaleAndSum(_ scales: UnsafePointer<Float>, _ sums: UnsafePointer<Float>, _ j: Int) -> __m128 {
        _mm_unpacklo_ps(_mm_set_ss(scales[j]), _mm_set_ss(sums[j]))
    }

    /// Rows `row + k * stride` for k in 0..<4 dotted with one activation vector.
    @inline(__always)
    static func fourRows<K: AVX2BlockKernel>(_: K.Type, _ row: UnsafeRawPointer, stride: Int, _ a: UnsafeRawPointer,
                                             _ scales: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                                             blocks: Int) -> SIMD4<Float> {
        var acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps()
        var acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps()
        var off0 = _mm_setzero_ps(), off1 = _mm_setzero_ps(), off2 = _mm_setzero_ps(), off3 = _mm_setzero_ps()
        for j in 0..<blocks {
            let act = (a + 32 * j).loadUnaligned(as: __m256i.self)
            let dasa = scaleAndSum(scales, sums, j)
            K.accumulate(row, block: j, act, dasa, acc: &acc0, offset: &off0)
            K.accumulate(row + stride, block: j, act, dasa, acc: &acc1, offset: &off1)
            K.accumulate(row + 2 * stride, block: j, act, dasa, acc: &acc2, offset: &off2)
            K.accumulate(row + 3 * stride, block: j, act, dasa, acc: &acc3, offset: &off3)
        }
        return SIMD4(K.finish(acc0, off0), K.finish(acc1, off1), K.finish(acc2, off2), K.finish(acc3, off3))
    }

    @inline(__always)
    static func oneRow<K: AVX2BlockKernel>(_: K.Type, _ row: UnsafeRawPointer, _ a: UnsafeRawPointer,
                                           _ scales: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                                           blocks: Int) -> Float {
        var acc = _mm256_setzero_ps()
        var offset = _mm_setzero_ps()
        for j in 0..<blocks {
            K.accumulate(row, block: j, (a + 32 * j).loadUnaligned(as: __m256i.self), scaleAndSum(scales, sums, j),
                         acc: &acc, offset: &offset)
        }
        return K.finish(acc, offset)
    }
}
#endif
