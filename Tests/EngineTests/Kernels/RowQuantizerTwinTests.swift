import Foundation
import Testing
@testable import Engine
import Formats

/// The load quantizer's C kernels (`RowQuantizer`, every variant this machine runs) against their
/// slow twin, the Swift reference (`dequantizeReference` of the source row, then
/// `quantizeReference`, which GGMLQuantizationGoldenTests holds to ggml's own bytes): byte for byte
/// on random rows of several lengths, outliers, flat, one-signed, tiny, huge and subnormal
/// values, from F32, F16 and BF16 sources; the same error for NaN, infinities and partial blocks.
@Suite struct RowQuantizerTwinTests {
    static let variants: [KernelISA] = [.portable] + KernelISA.available.filter { $0 != .portable }

    /// Named rows of floats, lengths a multiple of 256 (Q4_K's super-block); Q8_0 also gets rows
    /// of 32-multiples that are not.
    static func rows() -> [(name: String, values: [Float])] {
        var random = KernelRandom(seed: 13)
        func normal(_ count: Int, _ scale: Float) -> [Float] {
            // Sums of uniforms: bell-shaped, with the occasional large value real weights have.
            (0..<count).map { _ in (random.float() + random.float() + random.float()) * scale }
        }
        var outliers = normal(1280, 0.05)
        for i in stride(from: 7, to: outliers.count, by: 61) { outliers[i] *= 40 }
        var zeroSubBlocks = normal(512, 1)
        zeroSubBlocks.replaceSubrange(32..<64, with: repeatElement(0, count: 32))
        // 2^-130, about 7e-40: f32 subnormals (BF16 has the same ones).
        let subnormal = Float.leastNormalMagnitude / 16
        var subnormalHalf = normal(512, 1)
        subnormalHalf.replaceSubrange(256..<512, with: normal(256, subnormal))
        return [
            ("normal, 256", normal(256, 1)), ("normal x 0.02, 768", normal(768, 0.02)),
            ("normal x 300, 1280", normal(1280, 300)), ("normal x 1e-3, 4096", normal(4096, 1e-3)),
            ("outliers", outliers), ("all zero", [Float](repeating: 0, count: 512)),
            ("constant", [Float](repeating: 0.75, count: 256)), ("constant negative", [Float](repeating: -3.5, count: 512)),
            ("all negative", normal(768, 0.3).map { -abs($0) }), ("all positive", normal(512, 0.3).map { abs($0) }),
            ("quarter steps", (0..<512).map { _ in Float(Int(random.next() % 25) - 12) * 0.25 }),
            ("zero sub-blocks", zeroSubBlocks),
            ("tiny 1e-30", normal(512, 1e-30)), ("huge 1e30", normal(512, 1e30)),
            ("huge constant", [Float](repeating: 1e30, count: 256)),
            ("near FLT_MAX", (0..<256).map { Float($0 - 128) / 128 * 3e38 }),
            ("f32 subnormals", normal(512, subnormal)), ("normal then subnormal block", subnormalHalf),
        ]
    }

    /// `values` as `type`'s little-endian bytes (F16 and BF16 rounded to nearest even).
    static func encode(_ values: [Float], as type: GGMLType) -> [UInt8] {
        var out: [UInt8] = []
        for v in values {
            switch type {
            case .f16: withUnsafeBytes(of: HalfFloat.bits(from: v).littleEndian) { out.append(contentsOf: $0) }
            case .bf16: withUnsafeBytes(of: HalfFloat.bfloat16Bits(from: v).littleEndian) { out.append(contentsOf: $0) }
            default: withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        return out
    }

    /// Random finite 16-bit patterns of `type` (F16 or BF16): every class, subnormals and the
    /// largest magnitudes included, mixed in one row.
    static func randomHalfBits(_ count: Int, of type: GGMLType, seed: UInt64) -> [UInt8] {
        var random = KernelRandom(seed: seed)
        let exponentMask: UInt16 = type == .f16 ? 0x7C00 : 0x7F80
        var out: [UInt8] = []
        while out.count < 2 * count {
            var bits = UInt16(truncatingIfNeeded: random.next())
            if bits & exponentMask == exponentMask { continue }
            // Every fourth value a subnormal (or zero).
            if out.count % 8 == 0 { bits &= ~exponentMask }
            withUnsafeBytes(of: bits.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// The reference's bytes for `bytes` (a row of `sourceType`) or the error it throws.
    static func reference(_ bytes: [UInt8], of sourceType: GGMLType, to target: GGMLType) -> Result<[UInt8], TensorError> {
        let values = bytes.withUnsafeBytes { raw in Result { () throws(TensorError) in try sourceType.dequantizeReference(row: raw) } }
        return values.flatMap { values in Result { () throws(TensorError) in try target.quantizeReference(values) } }
    }

    static func fast(_ bytes: [UInt8], of sourceType: GGMLType, to target: GGMLType, isa: KernelISA) -> Result<[UInt8], TensorError> {
        let count = bytes.count / sourceType.bytesPerBlock
        var out = [UInt8](repeating: 0xA5, count: (count + target.blockSize - 1) / target.blockSize * target.bytesPerBlock)
        let done = bytes.withUnsafeBytes { source in
            out.withUnsafeMutableBytes { destination in
                Result { () throws(TensorError) in
                    try RowQuantizer.quantize(source.baseAddress!, of: sourceType, count: count, to: target, into: destination.baseAddress!, isa: isa)
                }
            }
        }
        return done.map { out }
    }


    static func expectTwins(_ bytes: [UInt8], of sourceType: GGMLType, to target: GGMLType, isa: KernelISA, _ name: String) {
        let expected = reference(bytes, of: sourceType, to: target), actual = fast(bytes, of: sourceType, to: target, isa: isa)
        switch (expected, actual) {
        case (.success(let e), .success(let a)):
            #expect(e == a, "\(name): \(sourceType) to \(target), \(isa): first difference at byte \(KernelFixtures.firstDifference(e, a) ?? 0)")
        default:
            #expect(expected == actual, "\(name): \(sourceType) to \(target), \(isa)")
        }
    }

    @Test(arguments: variants)
    func rowsOfEveryKindMatchTheReference(isa: KernelISA) {
        for (name, values) in Self.rows() {
            for sourceType in RowQuantizer.sources {
                for target in RowQuantizer.targets {
                    Self.expectTwins(Self.encode(values, as: sourceType), of: sourceType, to: target, isa: isa, name)
                }
            }
        }
        // Rows of 32-multiples that are not 256-multiples: Q8_0 only.
        for count in [32, 96, 1056] {
            let values = (0..<count).map { Float($0 % 17) - 8.5 }
            Self.expectTwins(Self.encode(values, as: .f32), of: .f32, to: .q8_0, isa: isa, "\(count) values")
        }
    }

    @Test(arguments: variants)
    func randomHalfAndBFloatBitPatternsMatchTheReference(isa: KernelISA) {
        for (seed, sourceType) in [(UInt64(1), GGMLType.f16), (2, .bf16), (3, .f16), (4, .bf16)] {
            let bytes = Self.randomHalfBits(768, of: sourceType, seed: seed)
            for target in RowQuantizer.targets {
                Self.expectTwins(bytes, of: sourceType, to: target, isa: isa, "random bits \(seed)")
            }
        }
    }

    @Test(arguments: variants)
    func nonFiniteValuesAndPartialBlocksFailAsTheReferenceDoes(isa: KernelISA) {
        for (index, bad) in [(0, Float.nan), (300, .infinity), (767, -.infinity)] {
            var values = [Float](repeating: 0.5, count: 768)
            values[index] = bad
            for sourceType in RowQuantizer.sources {
                for target in RowQuantizer.targets {
                    let bytes = Self.encode(values, as: sourceType)
                    #expect(Self.fast(bytes, of: sourceType, to: target, isa: isa) == .failure(.nonFinite(index: index)))
                    Self.expectTwins(bytes, of: sourceType, to: target, isa: isa, "\(bad) at \(index)")
                }
            }
        }
        let partial = Self.encode([Float](repeating: 1, count: 288), as: .f32)
        #expect(Self.fast(partial, of: .f32, to: .q4_K, isa: isa) == .failure(.elementCountNotBlockMultiple(type: .q4_K, count: 288)))
        #expect(Self.fast(partial, of: .f32, to: .q4_0, isa: isa) == .failure(.unsupportedType(type: .q4_0, operation: "row quantisation")))
    }

    /// A NaN in a float matrix fails the load naming the tensor, the row and the value.
    @Test func aNonFiniteWeightFailsTheLoadNamingItsRow() throws {
        var values = [Float](repeating: 0.25, count: 40 * 256)
        values[21 * 256 + 17] = .nan
        var writer = try GGUFWriter()
        try writer.addTensor("blk.0.attn_q.weight", dimensions: [256, 40], type: .bf16, data: Self.encode(values, as: .bf16))
        let file = try GGUFFile(bytes: writer.bytes())
        let tensor = try #require(file.sourceTensor("blk.0.attn_q.weight"))
        let quantizer = try LoadQuantizer(target: .q4_K)
        #expect(throws: ModelError.checkpointTensor(
            file: file.origin, tensor: "blk.0.attn_q.weight",
            problem: "row 21 cannot be quantized to Q4_K: value at index 17 is not finite")) {
            _ = try quantizer.quantize(tensor, from: file, forMatmul: true)
        }
    }
}
