/// Small vector helpers shared by the non-matmul kernels (norms, rope, softmax, attention).
/// Loads are unaligned so any row offset works.
public enum SIMDMath {
    @inlinable @inline(__always)
    public static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inlinable @inline(__always)
    public static func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// Sixteen halves widened to floats.
    @inlinable @inline(__always)
    public static func load16(_ p: UnsafePointer<Float16>) -> SIMD16<Float> {
        SIMD16<Float>(UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float16>.self))
    }

    @inlinable @inline(__always)
    public static func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// `sum(a[i] * b[i])` over `count` values.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD16<Float>()
        var acc1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= count {
            acc0 = acc0.addingProduct(load16(a + i), load16(b + i))
            acc1 = acc1.addingProduct(load16(a + i + 16), load16(b + i + 16))
            i += 32
        }
        while i + 16 <= count {
            acc0 = acc0.addingProduct(load16(a + i), load16(b + i))
            i += 16
        }
        var sum = (acc0 + acc1).sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// `sum(a[i] * b[i])` with `b` in half precision.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float16>, count: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            acc = acc.addingProduct(load16(a + i), load16(b + i))
            i += 16
        }
        var sum = acc.sum()
        while i < count {
            sum += a[i] * Float(b[i])
            i += 1
        }
        return sum
    }

    /// `y[i] += a * x[i]` with `x` in half precision.
    @inlinable
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float16>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let av = SIMD16<Float>(repeating: a)
        while i + 16 <= count {
            store16(load16(y + i).addingProduct(av, load16(x + i)), y + i)
            i += 16
        }
        while i < count {
            y[i] += a * Float(x[i])
            i += 1
        }
    }

    /// Rounds `count` floats to half precision into `out`.
    @inlinable
    public static func toHalf(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float16>, count: Int) {
        var i = 0
        while i + 16 <= count {
            UnsafeMutableRawPointer(out + i).storeBytes(of: SIMD16<Float16>(load16(x + i)), as: SIMD16<Float16>.self)
            i += 16
        }
        while i < count {
            out[i] = Float16(x[i])
            i += 1
        }
    }

    /// `y[i] += a * x[i]` over `count` values.
    @inlinable
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let av = SIMD16<Float>(repeating: a)
        while i + 16 <= count {
            store16(load16(y + i).addingProduct(av, load16(x + i)), y + i)
            i += 16
        }
        while i < count {
            y[i] += a * x[i]
            i += 1
        }
    }

    /// `y[i] += x[i]` over `count` values.
    @inlinable
    public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            store16(load16(y + i) + load16(x + i), y + i)
            i += 16
        }
        while i < count {
            y[i] += x[i]
            i += 1
        }
    }

    /// `add` with the values spread over `pool` (a prefill's residual adds).
    public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, pool: ThreadPool) {
        pool.parallelChunks(count, minimumChunk: 1 << 15, alignment: 16) { part in
            add(x + part.lowerBound, into: y + part.lowerBound, count: part.count)
        }
    }
}

extension SIMDMath {
    /// `e^x` lane-wise, relative error below 3e-7 for results above 1e-37; inputs below -87.3
    /// (including -infinity) give exactly 0. Range reduction `x = k ln2 + r` then a degree-6
    /// Taylor polynomial for `e^r`, scaled by `2^k` built from the exponent bits.
    ///
    /// `k` is rounded by adding `1.5 * 2^23` (the sum's last mantissa bits are then `k` as an
    /// integer), so no float-to-integer vector conversion is needed: Swift's generic
    /// `SIMD16<Int32>(_:rounding:)` runs lane by lane through the runtime, ten times slower.
    @inlinable @inline(__always)
    public static func exp(_ x0: SIMD16<Float>) -> SIMD16<Float> {
        // Clamped by compare and blend (`pointwiseMin` / `clamped` run lane by lane for their NaN rules).
        var x = x0
        x.replace(with: 88.7, where: x .> 88.7)
        x.replace(with: -87.3, where: x .< -87.3)
        let shifter = SIMD16<Float>(repeating: 12_582_912)
        let shifted = x * 1.44269504088896341 + shifter
        let k = shifted - shifter
        // ln 2 split in a high part exact in float and a low correction.
        let r = x - k * 0.693145751953125 - k * 1.428606765330187045e-06
        var p = SIMD16<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // (0x4B400000 + k + 127) << 23 wraps to (k + 127) << 23: the exponent field of 2^k.
        let exponentBits = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &+ 127) &<< 23
        let twoToK = unsafeBitCast(exponentBits, to: SIMD16<Float>.self)
        return (p * twoToK).replacing(with: 0, where: x0 .< -87.3)
    }

    /// Scalar `e^x` with the same polynomial as the vector form, so tails match the vector lanes.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        exp(SIMD16<Float>(repeating: x))[0]
    }
}
