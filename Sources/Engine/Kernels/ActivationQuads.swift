/// Quantised activation vectors regrouped four at a time for `AVX2GroupKernel.dot4`: block j
/// of vectors `4g..<4g + 4` lie side by side, so the kernel reaches all four through one
/// pointer with constant offsets instead of twelve (quants, scales and sums of each vector),
/// which left x86-64 too few registers and spilled its accumulators.
///
/// Storage: `qs` `[groups][blocks][4][32]` Int8; `scales`, `sums` `[groups][blocks][4]` Float.
/// Vectors past the last whole group of four are not copied.
struct ActivationQuads: ~Copyable {
    let groups: Int
    let blocks: Int
    let qs: UnsafeMutableRawPointer
    let scales: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Float>

    init(_ activations: borrowing QuantizedActivations) {
        groups = activations.batch / 4
        blocks = activations.blocksPerVector
        let count = max(1, groups * blocks * 4)
        qs = UnsafeMutableRawPointer.allocate(byteCount: 32 * count, alignment: 64)
        scales = .allocate(capacity: count)
        sums = .allocate(capacity: count)
        for g in 0..<groups {
            for v in 0..<4 {
                let (a, vectorScales, vectorSums) = activations.vector(4 * g + v)
                for j in 0..<blocks {
                    let slot = (g * blocks + j) * 4 + v
                    (qs + 32 * slot).copyMemory(from: a + 32 * j, byteCount: 32)
                    scales[slot] = vectorScales[j]
                    sums[slot] = vectorSums[j]
                }
            }
        }
    }

    deinit {
        qs.deallocate()
        scales.deallocate()
        sums.deallocate()
    }

    /// Group g: its quants, scales and sums.
    func group(_ g: Int) -> (qs: UnsafeRawPointer, scales: UnsafePointer<Float>, sums: UnsafePointer<Float>) {
        let offset = g * blocks * 4
        return (UnsafeRawPointer(qs + 32 * offset), UnsafePointer(scales + offset), UnsafePointer(sums + offset))
    }
}
