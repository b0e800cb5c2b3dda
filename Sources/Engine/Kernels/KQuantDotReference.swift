import Formats

/// The K-quant kernels' arithmetic one weight at a time, on the file's own blocks: the slow,
/// obvious twin of CPUKernels' Q4_K, Q5_K and Q6_K matmuls (which read the repacked 8-row layout).
/// Per super-block the integer sums are exact, then `acc += isum * (d * d_a)` and, for Q4_K
/// and Q5_K, `acc -= msum * (dmin * d_a)`, each one fused multiply-add, so the kernels must give
/// the same bits.
enum KQuantDotReference {
    /// Row `row` (`cols` weights of `type`, Q4_K, Q5_K or Q6_K) dotted with vector `v` of `a`.
    static func dot(_ type: GGMLType, row: UnsafeRawPointer, cols: Int, _ a: borrowing KBlockActivations, vector v: Int) -> Float {
        var acc: Float = 0
        var codes = [UInt8](repeating: 0, count: 256)
        for s in 0..<(cols / 256) {
            let x = a.qs + v * cols + 256 * s
            let da = a.d[v * cols / 256 + s]
            if type == .q4_K || type == .q5_K {
                // Q5_K: qh[32] at 16 before qs, bit k of qh[l] the fifth bit of weight l of sub-block k.
                let fiveBit = type == .q5_K
                let block = row + (fiveBit ? Q5_KBlock.byteCount : Q4_KBlock.byteCount) * s
                let qs = fiveBit ? 48 : 16
                var isum = 0, msum = 0
                for k in 0..<8 {
                    let (scale, min) = KQuantScales.scaleAndMin(k, block + 4)
                    var dot = 0, sum = 0
                    for l in 0..<32 {
                        let byte = BlockBytes.byte(block, qs + 32 * (k / 2) + l)
                        var code = k % 2 == 0 ? byte & 0x0F : byte >> 4
                        if fiveBit { code |= (BlockBytes.byte(block, 16 + l) >> k & 1) << 4 }
                        dot += Int(code) * Int(x[32 * k + l])
                        sum += Int(x[32 * k + l])
                    }
                    isum += Int(scale) * dot
                    msum += Int(min) * sum
                }
                acc = acc.addingProduct(Float(isum), BlockBytes.half(block, 0) * da)
                acc = acc.addingProduct(-Float(msum), BlockBytes.half(block, 2) * da)
            } else {
                let block = row + Q6_KBlock.byteCount * s
                Q6_KBlock.codes(block, into: &codes)
                var total = 0
                for sub in 0..<16 {
                    var dot = 0
                    for l in 0..<16 { dot += (Int(codes[16 * sub + l]) - 32) * Int(x[16 * sub + l]) }
                    total += Int(BlockBytes.signedByte(block, 192 + sub)) * dot
                }
                acc = acc.addingProduct(Float(total), BlockBytes.half(block, 208) * da)
            }
        }
        return acc
    }
}
