import CPUKernels
import Formats

/// The fast twin of `GGMLType.quantizeReference` that `--quantize` loads with: one row of F32,
/// F16 or BF16 values straight into Q8_0 or Q4_K blocks at `destination`, no allocation (C,
/// RowQuantization.c: Q4_K searches the sub-blocks of two super-blocks side by side in vector
/// lanes, with an AVX2 build on x86-64; a Swift SIMD32 twin was tried first and was 17 times
/// slower than the scalar reference, Swift's generic SIMD rounding, clamping and reductions
/// running lane by lane). It writes the reference's bytes, ggml's rounding, for every input, edge
/// cases included (RowQuantizerTwinTests).
enum RowQuantizer {
    /// The encodings it writes.
    static let targets: [GGMLType] = [.q8_0, .q4_K]
    /// The element types it reads.
    static let sources: [GGMLType] = [.f32, .f16, .bf16]

    /// Quantizes the `count` values of `sourceType` at `source` to `target` at `destination`
    /// (`target.rowByteCount(elements: count)` bytes), with the kernel variant for `isa`
    /// (`.portable`: the portable C, which every architecture builds). Throws for a NaN or an
    /// infinity (naming its index), a count that is not a whole number of blocks or a type it
    /// does not handle.
    static func quantize(
        _ source: UnsafeRawPointer, of sourceType: GGMLType, count: Int, to target: GGMLType,
        into destination: UnsafeMutableRawPointer, isa: KernelISA = .selected
    ) throws(TensorError) {
        guard let sourceCode = sourceCode(sourceType) else { throw .unsupportedType(type: sourceType, operation: "quantizing rows from it") }
        guard let targetCode = targetCode(target) else { throw .unsupportedType(type: target, operation: "row quantisation") }
        guard count % target.blockSize == 0 else { throw .elementCountNotBlockMultiple(type: target, count: count) }
        let answer = genrm_quantize_row(isaCode(isa), targetCode, sourceCode, source, count, destination)
        if answer == Int(GENRM_QUANTIZE_DONE) { return }
        if answer >= 0 { throw .nonFinite(index: answer) }
        throw .sizeMismatch("the row quantizer refused \(count) \(sourceType) values for \(target)")
    }

    private static func sourceCode(_ type: GGMLType) -> Int32? {
        switch type {
        case .f32: GENRM_ROW_F32
        case .f16: GENRM_ROW_F16
        case .bf16: GENRM_ROW_BF16
        default: nil
        }
    }

    private static func targetCode(_ type: GGMLType) -> Int32? {
        switch type {
        case .q8_0: GENRM_QUANT_Q8_0
        case .q4_K: GENRM_QUANT_Q4_K
        default: nil
        }
    }

    private static func isaCode(_ isa: KernelISA) -> Int32 {
        switch isa {
        case .portable: 0
        case .avx2: GENRM_ISA_AVX2
        case .avx512VNNI: GENRM_ISA_AVX512_VNNI
        }
    }
}
