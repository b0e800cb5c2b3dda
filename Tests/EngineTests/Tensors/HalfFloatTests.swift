import Testing
@testable import Engine

/// f16 / bf16 conversions: every bit pattern, against the platform's Float16 where it exists.
@Suite struct HalfFloatTests {
    @Test func fastConversionEqualsReferenceForEveryPattern() {
        for bits in 0...UInt16.max {
            let reference = HalfFloat.float(fromBits: bits)
            let fast = HalfFloat.fastFloat(fromBits: bits)
            #expect(reference.bitPattern == fast.bitPattern, "f16 \(bits)")
        }
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func referenceMatchesPlatformFloat16() {
        for bits in 0...UInt16.max {
            let platform = Float(Float16(bitPattern: bits))
            let reference = HalfFloat.float(fromBits: bits)
            if platform.isNaN {
                #expect(reference.isNaN)
            } else {
                #expect(platform.bitPattern == reference.bitPattern, "f16 \(bits)")
            }
        }
    }

    @Test func roundingToHalfMatchesPlatformFloat16() {
        var random = KernelRandom(seed: 7)
        var samples: [Float] = [0, -0, 65504, 65520, 65519.996, 1e-8, 2.98e-8, 5.96e-8, 6.1e-5, -3.0e-6, .infinity, -.infinity]
        for _ in 0..<200_000 {
            samples.append(Float(bitPattern: UInt32(truncatingIfNeeded: random.next())))
        }
        for value in samples where !value.isNaN {
            #expect(HalfFloat.bits(from: value) == Float16(value).bitPattern, "\(value)")
        }
        #expect(HalfFloat.float(fromBits: HalfFloat.bits(from: .nan)).isNaN)
    }
    #endif

    @Test func bfloat16RoundsToNearestEven() {
        #expect(HalfFloat.bfloat16Bits(from: 1) == 0x3F80)
        #expect(HalfFloat.bfloat16Bits(from: Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie, even stays
        #expect(HalfFloat.bfloat16Bits(from: Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie, odd rounds up
        #expect(HalfFloat.bfloat16Bits(from: Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(HalfFloat.float(fromBFloat16Bits: HalfFloat.bfloat16Bits(from: .nan)).isNaN)
        for bits in 0...UInt16.max where bits & 0x7F80 != 0x7F80 {
            #expect(HalfFloat.bfloat16Bits(from: HalfFloat.float(fromBFloat16Bits: bits)) == bits)
        }
    }
}
