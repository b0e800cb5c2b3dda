/// Per-block integer dot products of each quantised weight type with one 32-value block of
/// quantised activations (`QuantizedActivations`). A row of `cols` weights is `cols / 32` such
/// blocks; K-quant super-blocks are addressed by their 32-weight sub-blocks, whose scales and
/// mins apply exactly as in the reference dequantisation.
///
/// `accumulate` adds the block's contribution as 8 float lanes to `acc` (summed at the end of
/// the row) plus a scalar to `offset` (min / zero-point terms, which need only the activation
/// block's sum `s_a = d_a * sum(a codes)`).
protocol Int8BlockKernel {
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: Int8Dot.Activation, scale da: Float,
                           sum sa: Float, acc: inout SIMD8<Float>, offset: inout Float)
}

/// Q4_0 `{f16 d; 16 B nibbles}`: d * (d_a * isum - 8 * s_a) with unsigned nibbles.
enum Q4_0Kernel: Int8BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: Int8Dot.Activation, scale da: Float,
                           sum sa: Float, acc: inout SIMD8<Float>, offset: inout Float) {
        let block = row + 18 * j
        let d = Int8Dot.half(block, 0)
        let isum = Int8Dot.unsignedWeights(Int8Dot.nibbles(block + 2), a)
        acc += Int8Dot.float(isum) * SIMD8(repeating: d * da)
        offset -= 8 * d * sa
    }
}

/// Q4_1 `{f16 d; f16 m; 16 B nibbles}`: d * d_a * isum + m * s_a.
enum Q4_1Kernel: Int8BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: Int8Dot.Activation, scale da: Float,
                           sum sa: Float, acc: inout SIMD8<Float>, offset: inout Float) {
        let block = row + 20 * j
        let d = Int8Dot.half(block, 0)
        let m = Int8Dot.half(block, 2)
        let isum = Int8Dot.unsignedWeights(Int8Dot.nibbles(block + 4), a)
        acc += Int8Dot.float(isum) * SIMD8(repeating: d * da)
        offset += m * sa
    }
}

/// Q8_0 `{f16 d; 32 i8}`: d * d_a * isum.
enum Q8_0Kernel: Int8BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: Int8Dot.Activation, scale da: Float,
                           sum sa: Float, acc: inout SIMD8<Float>, offset: inout Float) {
        let block = row + 34 * j
        let d = Int8Dot.half(block, 0)
        let isum = Int8Dot.signedWeights((block + 2).loadUnaligned(as: SIMD32<UInt8>.self), a)
        acc += Int8Dot.float(isum) * SIMD8(repeating: d * da)
    }
}

/// Q4_K: sub-block k = 2p (+1) of a super-block takes the low (high) nibbles of
/// qs[32p..<32p+32]; value = d s_k q - dmin m_k.
enum Q4_KKernel: Int8BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: Int8Dot.Activation, scale da: Float,
                           sum sa: Float, acc: inout SIMD8<Float>, offset: inout Float) {
        let block = row + 144 * (j / 8)
        let k = j % 8
        let packed = (block + 16 + 32 * (k / 2)).loadUnaligned(as: SIMD32<UInt8>.self)
        let codes = k % 2 == 0 ? packed & 0x0F : packed &>> 4
        let (s, m) = KQuantScales.scaleAndMin(k, block + 4)
        let isum = Int8Dot.unsignedWeights(codes, a)
        acc += Int8Dot.float(isum) * SIMD8(repeating: Int8Dot.half(block, 0) * Float(s) * da)
        offset -= Int8Dot.half(block, 2) * Float(m) * sa
    }
}

/// Q5_K: as Q4_K, with bit k of qh[l] the fifth bit of weight l of sub-block k.
enum Q5_KKernel: Int8BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: Int8Dot.Activation, scale da: Float,
                           sum sa: Float, acc: inout SIMD8<Float>, offset: inout Float) {
        let block = row + 176 * (j / 8)
        let k = j % 8
        let high = (block + 16).loadUnaligned(as: SIMD32<UInt8>.self)
        let packed = (block + 48 + 32 * (k / 2)).loadUnaligned(as: SIMD32<UInt8>.self)
        let low = k % 2 == 0 ? packed & 0x0F : packed &>> 4
        let codes = low | (((high &>> UInt8(k)) & 1) &<< 4)
        let (s, m) = KQuantScales.scaleAndMin(k, block + 4)
        let isum = Int8Dot.unsignedWeights(codes, a)
        acc += Int8Dot.float(isum) * SIMD8(repeating: Int8Dot.half(block, 0) * Float(s) * da)
        offset -= Int8Dot.half(block, 2) * Float(m) * sa
    }
}

/// Q6_K: in half h (128 weights) of a super-block, quarter q (32 weights) takes nibble
/// (q >= 2 ? high : low) of ql[64h + 32 (q % 2) + l] and bits 2q..2q+1 of qh[32h + l]; codes are
/// centred by -32, and 16-weight sub-blocks 8h + 2q and 8h + 2q + 1 carry signed scales.
enum Q6_KKernel: Int8BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: Int8Dot.Activation, scale da: Float,
                           sum sa: Float, acc: inout SIMD8<Float>, offset: inout Float) {
        let block = row + 210 * (j / 8)
        let half = (j % 8) / 4
        let quarter = j % 4
        let source = (block + 64 * half + 32 * (quarter % 2)).loadUnaligned(as: SIMD32<UInt8>.self)
        let qh = (block + 128 + 32 * half).loadUnaligned(as: SIMD32<UInt8>.self)
        let nibble = quarter < 2 ? source & 0x0F : source &>> 4
        let codes = (nibble | (((qh &>> UInt8(2 * quarter)) & 3) &<< 4)) &- 32
        let isum = Int8Dot.signedWeights(codes, a)
        let scales = block + 192 + 8 * half + 2 * quarter
        let s0 = Float(scales.load(as: Int8.self))
        let s1 = Float(scales.load(fromByteOffset: 1, as: Int8.self))
        let lanes = SIMD8<Float>(lowHalf: SIMD4(repeating: s0), highHalf: SIMD4(repeating: s1))
        acc += Int8Dot.float(isum) * (lanes * (Int8Dot.half(block, 208) * da))
    }
}
