/// IEEE 754 binary16 ("f16", `ggml_fp16_t`) and bfloat16 conversions done on the bits, so they
/// behave the same on every platform (Swift's `Float16` is missing on macOS x86_64).
public enum HalfFloat {
    /// The exact `Float` value of an f16 bit pattern (every f16 is representable in f32).
    @inlinable
    public static func float(fromBits h: UInt16) -> Float {
        let sign: UInt32 = UInt32(h & 0x8000) << 16
        let exponent = UInt32((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa * 2^-24, exact in f32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// Branch-free f16 -> f32 for hot loops, bitwise equal to `float(fromBits:)`: placing the
    /// 15 magnitude bits in an f32 and scaling by 2^112 rebases the exponent (and normalises
    /// subnormals) exactly; infinities and NaNs get their all-ones exponent restored.
    @inlinable @inline(__always)
    public static func fastFloat(fromBits h: UInt16) -> Float {
        let magnitude = UInt32(h & 0x7FFF) << 13
        var bits = (Float(bitPattern: magnitude) * 0x1p112).bitPattern
        if h & 0x7C00 == 0x7C00 { bits |= 0x7F80_0000 }
        return Float(bitPattern: bits | (UInt32(h & 0x8000) << 16))
    }

    /// The nearest f16 (ties to even), infinities on overflow, NaN kept quiet.
    public static func bits(from value: Float) -> UInt16 {
        let x = value.bitPattern
        let sign = UInt16((x >> 16) & 0x8000)
        let exponent32 = Int((x >> 23) & 0xFF)
        var mantissa = x & 0x7F_FFFF
        if exponent32 == 0xFF {
            return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0)
        }
        let exponent = exponent32 - 127 + 15
        if exponent >= 31 { return sign | 0x7C00 }
        if exponent <= 0 {
            // Subnormal f16: value / 2^-24, rounded to nearest even.
            if exponent < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - exponent)
            let kept = mantissa >> shift
            let rest = mantissa & ((1 << shift) - 1)
            let halfway: UInt32 = 1 << (shift - 1)
            let rounded = kept + ((rest > halfway || (rest == halfway && kept & 1 == 1)) ? 1 : 0)
            return sign | UInt16(rounded)
        }
        var h = (UInt32(exponent) << 10) | (mantissa >> 13)
        let rest = mantissa & 0x1FFF
        // A carry out of the mantissa correctly bumps the exponent (up to infinity).
        if rest > 0x1000 || (rest == 0x1000 && h & 1 == 1) { h += 1 }
        return sign | UInt16(h)
    }

    /// The exact `Float` value of a bfloat16 bit pattern.
    @inlinable
    public static func float(fromBFloat16Bits b: UInt16) -> Float {
        Float(bitPattern: UInt32(b) << 16)
    }

    /// The nearest bfloat16 (ties to even), NaN forced quiet, as ggml rounds.
    public static func bfloat16Bits(from value: Float) -> UInt16 {
        let x = value.bitPattern
        if x & 0x7FFF_FFFF > 0x7F80_0000 {
            return UInt16(truncatingIfNeeded: (x >> 16) | 64)
        }
        let rounded = (UInt64(x) + 0x7FFF + UInt64((x >> 16) & 1)) >> 16
        return UInt16(truncatingIfNeeded: rounded)
    }
}
