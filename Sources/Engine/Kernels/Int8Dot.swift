/// Integer dot products of 32 weight bytes with 32 activation bytes, written with plain SIMD
/// lane arithmetic that compiles to packed 16-bit multiplies on any SIMD ISA (no generic
/// conversions, which Swift does not vectorise).
///
/// 32 bytes are viewed as 16 Int16 lanes: the even byte of a lane is its low half, the odd byte
/// its high half. Each byte is widened in place by shifts, the even and odd products are added
/// as Int16 (|w| <= 128 and |a| <= 127 keep two products below 2^15), and adjacent Int16 pairs
/// are then added as Int32: lane i of the result sums bytes 4i..4i+3.
enum Int8Dot {
    /// 32 signed activation bytes widened once, reused for every weight row.
    struct Activation {
        let even: SIMD16<Int16>
        let odd: SIMD16<Int16>

        @inline(__always)
        init(_ bytes: UnsafeRawPointer) {
            let lanes = bytes.loadUnaligned(as: SIMD16<Int16>.self)
            even = (lanes &<< 8) &>> 8
            odd = lanes &>> 8
        }
    }

    /// Weights are unsigned codes below 32 (4- and 5-bit codes): four products then stay
    /// below 2^15, so adjacent Int16 pairs can be added inside the Int32 lane before widening.
    @inline(__always)
    static func unsignedWeights(_ w: SIMD32<UInt8>, _ a: Activation) -> SIMD8<Int32> {
        let lanes = unsafeBitCast(w, to: SIMD16<Int16>.self)
        let products = (lanes & 0x00FF) &* a.even &+ (lanes &>> 8) &* a.odd
        let pairs = unsafeBitCast(products, to: SIMD8<Int32>.self)
        return (pairs &+ (pairs &<< 16)) &>> 16
    }

    /// Weights are signed bytes (Q8_0 codes, centred Q6_K codes); pairs are widened separately.
    @inline(__always)
    static func signedWeights(_ w: SIMD32<UInt8>, _ a: Activation) -> SIMD8<Int32> {
        let lanes = unsafeBitCast(w, to: SIMD16<Int16>.self)
        let products = ((lanes &<< 8) &>> 8) &* a.even &+ (lanes &>> 8) &* a.odd
        return pairSums(products)
    }

    @inline(__always)
    static func pairSums(_ products: SIMD16<Int16>) -> SIMD8<Int32> {
        let pairs = unsafeBitCast(products, to: SIMD8<Int32>.self)
        return ((pairs &<< 16) &>> 16) &+ (pairs &>> 16)
    }

    /// Int32 lanes as floats, exact for |x| < 2^22 (every per-block integer dot: at most
    /// 32 * 32 * 128): x is added to the bits of 1.5 * 2^23, where floats are 1 apart, and the
    /// bias subtracted. Swift's generic `SIMD8<Float>(_:)` conversion is a per-lane loop that
    /// the optimiser leaves uninlined in the larger kernels, where it made K-quant rows ~100x slower.
    @inline(__always)
    static func float(_ x: SIMD8<Int32>) -> SIMD8<Float> {
        unsafeBitCast(x &+ 0x4B40_0000, to: SIMD8<Float>.self) - 0x1.8p23
    }

    /// The 32 nibbles of 16 packed bytes in weight order: low nibbles first, then high.
    @inline(__always)
    static func nibbles(_ packed: UnsafeRawPointer) -> SIMD32<UInt8> {
        let raw = packed.loadUnaligned(as: SIMD16<UInt8>.self)
        return SIMD32<UInt8>(lowHalf: raw & 0x0F, highHalf: raw &>> 4)
    }

    /// A block's f16 scale as f32. Where Swift has `Float16` this is one instruction (x86 F16C,
    /// enabled by the Engine target's `-target-cpu`, or ARM's native halves); elsewhere the
    /// branch-free bit conversion. Both equal `HalfFloat.float(fromBits:)` bitwise.
    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        let bits = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
        #if arch(arm64) || (arch(x86_64) && !os(macOS))
        return Float(Float16(bitPattern: bits))
        #else
        return HalfFloat.fastFloat(fromBits: bits)
        #endif
    }
}
