/// Row dot products of quantised weights with quantised activations, built from a type's
/// `Int8BlockKernel`. Four rows at a time share each activation block's widening and scale
/// loads (the decode hot path); single rows handle the remainder.
enum Int8RowDots {
    /// `rows(r)` for r in 0..<4 (at `stride` bytes apart) dotted with one activation vector.
    @inline(__always)
    static func fourRows<K: Int8BlockKernel>(_: K.Type, _ row: UnsafeRawPointer, stride: Int, _ a: UnsafeRawPointer,
                                             _ scales: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                                             blocks: Int) -> SIMD4<Float> {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        var off0: Float = 0, off1: Float = 0, off2: Float = 0, off3: Float = 0
        for j in 0..<blocks {
            let act = Int8Dot.Activation(a + 32 * j)
            let da = scales[j], sa = sums[j]
            K.accumulate(row, block: j, act, scale: da, sum: sa, acc: &acc0, offset: &off0)
            K.accumulate(row + stride, block: j, act, scale: da, sum: sa, acc: &acc1, offset: &off1)
            K.accumulate(row + 2 * stride, block: j, act, scale: da, sum: sa, acc: &acc2, offset: &off2)
            K.accumulate(row + 3 * stride, block: j, act, scale: da, sum: sa, acc: &acc3, offset: &off3)
        }
        return SIMD4(acc0.sum() + off0, acc1.sum() + off1, acc2.sum() + off2, acc3.sum() + off3)
    }

    @inline(__always)
    static func oneRow<K: Int8BlockKernel>(_: K.Type, _ row: UnsafeRawPointer, _ a: UnsafeRawPointer,
                                           _ scales: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                                           blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var offset: Float = 0
        for j in 0..<blocks {
            K.accumulate(row, block: j, Int8Dot.Activation(a + 32 * j), scale: scales[j], sum: sums[j],
                         acc: &acc, offset: &offset)
        }
        return acc.sum() + offset
    }
}
