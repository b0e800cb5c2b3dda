#if arch(x86_64) && os(Linux)
import _Builtin_intrinsics.intel

/// Per-block integer dots on x86-64 with AVX2 instructions the portable SIMD code cannot reach
/// (`Int8Dot` emulates them with 16-bit multiplies and shifts, about 3x the instructions):
/// `vpmaddubsw` multiplies unsigned weight bytes by signed activation bytes and adds adjacent
/// pairs into Int16 lanes, `vpmaddwd` by ones adds adjacent Int16 pairs into Int32 lanes.
///
/// Compiled only where the Engine target is built for Haswell-class CPUs (Package.swift
/// `engineCPU`, x86-64 Linux); other platforms use the portable `Int8BlockKernel`s. Each kernel
/// equals its portable twin up to float summation order (`PlatformKernelTests`). These handle
/// one row at a time (rows outside whole interleaved groups, and the K-quant types); whole
/// groups of 8 rows of Q4_0 / Q4_1 / Q8_0 use `AVX2GroupKernel`.
///
/// Block j of a row is its 32-weight block (a 32-weight sub-block of a K-quant super-block).
/// `dasa` is `[d_a, s_a, 0, 0]` of the activation block (scale and scaled code sum), shared by
/// every row. A kernel adds the block's scaled integer dot to the 8 lanes of `acc` and its
/// zero-point term to lane 1 of `offset`; `finish` reduces a row.
protocol AVX2BlockKernel {
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: __m256i, _ dasa: __m128,
                           acc: inout __m256, offset: inout __m128)
    /// The row's dot product from its accumulators.
    static func finish(_ acc: __m256, _ offset: __m128) -> Float
}

extension AVX2BlockKernel {
    @inline(__always)
    static func finish(_ acc: __m256, _ offset: __m128) -> Float { AVX2.sum(acc) + offset[1] }
}

enum AVX2 {
    /// Sum of 16 `u8 * i8` products per Int32 lane pair group: lane i adds bytes 4i..4i+3.
    /// Exact while every pair sum stays within Int16 (|w| <= 128 with |a| <= 127, or w <= 15).
    @inline(__always)
    static func dotUnsigned(_ w: __m256i, _ a: __m256i) -> __m256i {
        _mm256_madd_epi16(_mm256_maddubs_epi16(w, a), _mm256_set1_epi16(1))
    }

    /// 32 nibbles of 16 packed bytes in weight order: low nibbles (weights 0-15) in the low
    /// 128 bits, high nibbles (weights 16-31) in the high 128 bits.
    @inline(__always)
    static func nibbles(_ packed: UnsafeRawPointer) -> __m256i {
        let raw = packed.loadUnaligned(as: __m128i.self)
        return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw, 4), raw), _mm256_set1_epi8(0x0F))
    }

    /// The f16 bits at `p` (and the f16 bits after them, for pairs) converted to floats in lanes 0 (and 1).
    @inline(__always)
    static func halves(_ p: UnsafeRawPointer, pair: Bool) -> __m128 {
        let bits = pair ? Int32(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
            : Int32(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self)))
        return _mm_cvtph_ps(_mm_cvtsi32_si128(bits))
    }

    /// Sum of the 8 lanes of `v`.
    @inline(__always)
    static func sum(_ v: __m256) -> Float {
        let four = v.lowHalf + v.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }
}

/// Q4_0 `{f16 d; 16 B nibbles}`: d d_a isum - 8 d s_a.
enum Q4_0AVX2: AVX2BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: __m256i, _ dasa: __m128,
                           acc: inout __m256, offset: inout __m128) {
        let block = row + 18 * j
        // [d d_a, d s_a, 0, 0]
        let scaled = _mm_mul_ps(_mm_moveldup_ps(AVX2.halves(block, pair: false)), dasa)
        offset = _mm_fnmadd_ps(scaled, _mm_set1_ps(8), offset)
        let isum = AVX2.dotUnsigned(AVX2.nibbles(block + 2), a)
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_broadcastss_ps(scaled), acc)
    }
}

/// Q4_1 `{f16 d; f16 m; 16 B nibbles}`: d d_a isum + m s_a.
enum Q4_1AVX2: AVX2BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: __m256i, _ dasa: __m128,
                           acc: inout __m256, offset: inout __m128) {
        let block = row + 20 * j
        // [d d_a, m s_a, 0, 0]
        let scaled = _mm_mul_ps(AVX2.halves(block, pair: true), dasa)
        offset = _mm_add_ps(offset, scaled)
        let isum = AVX2.dotUnsigned(AVX2.nibbles(block + 4), a)
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_broadcastss_ps(scaled), acc)
    }
}

/// Q8_0 `{f16 d; 32 i8}`: d d_a isum, with the sign of each weight moved onto its activation
/// so that `vpmaddubsw` sees |w| (at most 128) as the unsigned operand.
enum Q8_0AVX2: AVX2BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: __m256i, _ dasa: __m128,
                           acc: inout __m256, offset: inout __m128) {
        let block = row + 34 * j
        let w = (block + 2).loadUnaligned(as: __m256i.self)
        let isum = AVX2.dotUnsigned(_mm256_abs_epi8(w), _mm256_sign_epi8(a, w))
        let scale = _mm256_set1_ps(Float(Float16(bitPattern: UInt16(littleEndian: block.loadUnaligned(as: UInt16.self))))
                                   * dasa[0])
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), scale, acc)
    }
}

/// Q4_K: sub-block k = 2p (+1) of a super-block takes the low (high) nibbles of
/// qs[32p..<32p+32]; value = d s_k q - dmin m_k.
enum Q4_KAVX2: AVX2BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: __m256i, _ dasa: __m128,
                           acc: inout __m256, offset: inout __m128) {
        let block = row + 144 * (j / 8)
        let k = j % 8
        let packed = (block + 16 + 32 * (k / 2)).loadUnaligned(as: __m256i.self)
        let codes = _mm256_and_si256(k % 2 == 0 ? packed : _mm256_srli_epi16(packed, 4), _mm256_set1_epi8(0x0F))
        AVX2.accumulateScaledMin(AVX2.dotUnsigned(codes, a), block, KQuantScales.scaleAndMin(k, block + 4), dasa,
                                 acc: &acc, offset: &offset)
    }
}

/// Q5_K: as Q4_K, with bit k of qh[l] the fifth bit of weight l of sub-block k.
enum Q5_KAVX2: AVX2BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: __m256i, _ dasa: __m128,
                           acc: inout __m256, offset: inout __m128) {
        let block = row + 176 * (j / 8)
        let k = j % 8
        let packed = (block + 48 + 32 * (k / 2)).loadUnaligned(as: __m256i.self)
        let low = _mm256_and_si256(k % 2 == 0 ? packed : _mm256_srli_epi16(packed, 4), _mm256_set1_epi8(0x0F))
        let bit = _mm256_and_si256((block + 16).loadUnaligned(as: __m256i.self), _mm256_set1_epi8(Int8(truncatingIfNeeded: 1 << k)))
        // 16 where the bit is set: compare with zero, then keep 16 where the compare failed.
        let high = _mm256_andnot_si256(_mm256_cmpeq_epi8(bit, _mm256_setzero_si256()), _mm256_set1_epi8(16))
        AVX2.accumulateScaledMin(AVX2.dotUnsigned(_mm256_or_si256(low, high), a), block,
                                 KQuantScales.scaleAndMin(k, block + 4), dasa, acc: &acc, offset: &offset)
    }
}

/// Q6_K: in half h (128 weights) of a super-block, quarter q (32 weights) takes nibble
/// (q >= 2 ? high : low) of ql[64h + 32 (q % 2) + l] and bits 2q..2q+1 of qh[32h + l]; codes are
/// centred by -32 (so |w| <= 32 for the sign trick), and 16-weight sub-blocks 8h + 2q and
/// 8h + 2q + 1 carry signed scales.
enum Q6_KAVX2: AVX2BlockKernel {
    @inline(__always)
    static func accumulate(_ row: UnsafeRawPointer, block j: Int, _ a: __m256i, _ dasa: __m128,
                           acc: inout __m256, offset: inout __m128) {
        let block = row + 210 * (j / 8)
        let half = (j % 8) / 4
        let quarter = j % 4
        let source = (block + 64 * half + 32 * (quarter % 2)).loadUnaligned(as: __m256i.self)
        let nibble = _mm256_and_si256(quarter < 2 ? source : _mm256_srli_epi16(source, 4), _mm256_set1_epi8(0x0F))
        let qh = (block + 128 + 32 * half).loadUnaligned(as: __m256i.self)
        // Bits 2q..2q+1 of each byte moved to bits 4..5 (a 16-bit shift; the mask drops what
        // crossed over from the neighbouring byte).
        let shifted: __m256i
        switch quarter {
        case 0: shifted = _mm256_slli_epi16(qh, 4)
        case 1: shifted = _mm256_slli_epi16(qh, 2)
        case 2: shifted = qh
        default: shifted = _mm256_srli_epi16(qh, 2)
        }
        let codes = _mm256_or_si256(nibble, _mm256_and_si256(shifted, _mm256_set1_epi8(0x30)))
        let w = _mm256_sub_epi8(codes, _mm256_set1_epi8(32))
        let isum = AVX2.dotUnsigned(_mm256_abs_epi8(w), _mm256_sign_epi8(a, w))
        let scales = block + 192 + 8 * half + 2 * quarter
        let s0 = Float(scales.load(as: Int8.self)), s1 = Float(scales.load(fromByteOffset: 1, as: Int8.self))
        let lanes = SIMD8<Float>(lowHalf: SIMD4(repeating: s0), highHalf: SIMD4(repeating: s1))
        let d = Float(Float16(bitPattern: UInt16(littleEndian: block.loadUnaligned(fromByteOffset: 208, as: UInt16.self))))
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), lanes * (d * dasa[0]), acc)
    }
}

extension AVX2 {
    /// The Q4_K / Q5_K sub-block term: d s d_a isum to `acc`, -dmin m s_a to lane 1 of `offset`.
    @inline(__always)
    static func accumulateScaledMin(_ isum: __m256i, _ block: UnsafeRawPointer, _ scaleAndMin: (scale: UInt8, min: UInt8),
                                    _ dasa: __m128, acc: inout __m256, offset: inout __m128) {
        // [d s d_a, dmin m s_a, 0, 0]
        let factors = SIMD4<Float>(Float(scaleAndMin.scale), Float(scaleAndMin.min), 0, 0)
        let scaled = _mm_mul_ps(_mm_mul_ps(halves(block, pair: true), factors), dasa)
        offset = _mm_sub_ps(offset, scaled)
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_broadcastss_ps(scaled), acc)
    }
}
#endif

#if arch(x86_64) && os(Linux)
extension AVX2 {
    /// `QuantizedActivations.quantizeBlockPortable` on 8 lanes at a time, bit for bit: the same
    /// float operations, ties rounded away from zero as `trunc(s + copysign(0.5 - ulp/2, s))`
    /// (exact for every float), NaN codes 0, codes clamped to +-127.
    @inline(__always)
    static func quantizeBlock(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>,
                              scale: UnsafeMutablePointer<Float>, sum: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(x)
        let signBit = _mm256_set1_ps(-0.0)
        let v0 = raw.loadUnaligned(as: __m256.self), v1 = raw.loadUnaligned(fromByteOffset: 32, as: __m256.self)
        let v2 = raw.loadUnaligned(fromByteOffset: 64, as: __m256.self)
        let v3 = raw.loadUnaligned(fromByteOffset: 96, as: __m256.self)
        // vmaxps returns its second operand when either is NaN: NaN inputs leave the maximum alone.
        var amax = _mm256_max_ps(_mm256_andnot_ps(signBit, v0), _mm256_setzero_ps())
        amax = _mm256_max_ps(_mm256_andnot_ps(signBit, v1), amax)
        amax = _mm256_max_ps(_mm256_andnot_ps(signBit, v2), amax)
        amax = _mm256_max_ps(_mm256_andnot_ps(signBit, v3), amax)
        let d = largestLane(amax) / 127
        let inverse = _mm256_set1_ps(d != 0 ? 1 / d : 0)
        let i0 = codes(v0, inverse), i1 = codes(v1, inverse), i2 = codes(v2, inverse), i3 = codes(v3, inverse)
        // packs interleave 128-bit lanes: the bytes come out as dwords 0 4 1 5 2 6 3 7.
        let packed = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3))
        let ordered = _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7))
        UnsafeMutableRawPointer(q).storeBytes(of: ordered, as: __m256i.self)
        let total = unsafeBitCast(_mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3)),
                                  to: SIMD8<Int32>.self).wrappedSum()
        scale.pointee = d
        sum.pointee = d * Float(total)
    }

    /// The largest of 8 lanes holding no NaN, by `vmaxps` halvings (`SIMD8.max()` runs lane by
    /// lane for its NaN rules).
    @inline(__always)
    static func largestLane(_ v: __m256) -> Float {
        let four = _mm_max_ps(v.lowHalf, v.highHalf)
        let two = _mm_max_ps(four, _mm_movehl_ps(four, four))
        return _mm_max_ss(two, _mm_movehdup_ps(two))[0]
    }

    /// round(v * inverse) as Int32 lanes, ties away from zero, NaN as 0, clamped to +-127.
    @inline(__always)
    static func codes(_ v: __m256, _ inverse: __m256) -> __m256i {
        let scaled = _mm256_mul_ps(v, inverse)
        let half = _mm256_or_ps(_mm256_and_ps(scaled, _mm256_set1_ps(-0.0)), _mm256_set1_ps(Float(0.5).nextDown))
        var biased = _mm256_add_ps(scaled, half)
        biased.replace(with: 0, where: biased .!= biased)
        // vcvttps2dq truncates toward zero, completing the rounding.
        let truncated = _mm256_cvttps_epi32(biased)
        return _mm256_min_epi32(_mm256_max_epi32(truncated, _mm256_set1_epi32(-127)), _mm256_set1_epi32(127))
    }
}
#endif
