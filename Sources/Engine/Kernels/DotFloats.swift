/// Row dot products for float weight types (F32, F16, BF16) with float activations.
///
/// F16 and BF16 rows are widened 16 at a time by loading them as 8 UInt32 lanes: the low
/// halves are elements 0, 2, ..., 14 and the high halves 1, 3, ..., 15. The activation vector
/// is permuted the same way once per matmul (`permuted`), so no lane shuffles are needed.
enum DotFloats {
    /// Copies `x[0..<count]` with every full chunk of 16 reordered to evens then odds.
    static func permute(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        let chunks = count / 16
        for c in 0..<chunks {
            for i in 0..<8 {
                out[16 * c + i] = x[16 * c + 2 * i]
                out[16 * c + 8 + i] = x[16 * c + 2 * i + 1]
            }
        }
        for i in (16 * chunks)..<count { out[i] = x[i] }
    }

    @inline(__always)
    static func f32(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        let xr = UnsafeRawPointer(x)
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= count {
            acc0 += row.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
                * xr.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            acc1 += row.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self)
                * xr.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self)
            i += 32
        }
        var sum = (acc0 + acc1).sum()
        while i < count {
            sum += row.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) * x[i]
            i += 1
        }
        return sum
    }

    /// `x` permuted by `permute`.
    @inline(__always)
    static func f16(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        let xr = UnsafeRawPointer(x)
        var acc = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            let lanes = row.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt32>.self)
            acc += widenHalves(lanes & 0xFFFF) * xr.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc += widenHalves(lanes &>> 16) * xr.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var sum = acc.sum()
        while i < count {
            let h = UInt16(littleEndian: row.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            sum += HalfFloat.fastFloat(fromBits: h) * x[i]
            i += 1
        }
        return sum
    }

    /// `x` permuted by `permute`.
    @inline(__always)
    static func bf16(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        let xr = UnsafeRawPointer(x)
        var acc = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            let lanes = row.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt32>.self)
            acc += unsafeBitCast(lanes &<< 16, to: SIMD8<Float>.self)
                * xr.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc += unsafeBitCast(lanes & 0xFFFF_0000, to: SIMD8<Float>.self)
                * xr.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var sum = acc.sum()
        while i < count {
            let h = UInt16(littleEndian: row.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            sum += HalfFloat.float(fromBFloat16Bits: h) * x[i]
            i += 1
        }
        return sum
    }

    /// Eight f16 bit patterns (in the low 16 bits of each lane) as floats; the vector form of
    /// `HalfFloat.fastFloat(fromBits:)`.
    @inline(__always)
    static func widenHalves(_ h: SIMD8<UInt32>) -> SIMD8<Float> {
        let magnitude = unsafeBitCast((h & 0x7FFF) &<< 13, to: SIMD8<Float>.self) * 0x1p112
        var bits = unsafeBitCast(magnitude, to: SIMD8<UInt32>.self)
        bits.replace(with: bits | 0x7F80_0000, where: (h & 0x7C00) .== 0x7C00)
        return unsafeBitCast(bits | ((h & 0x8000) &<< 16), to: SIMD8<Float>.self)
    }
}
