import CPUKernels
import Foundation

/// The instruction set the engine's run-time-dispatched kernels (the K-quant matmuls) use,
/// chosen once per process from the CPU: the best it has, or `GENRM_KERNELS` (`avx2`,
/// `avx512-vnni`) where that names one it has, so both paths can be run on one machine.
public enum KernelISA: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Not x86-64: the portable Swift kernels.
    case portable
    /// AVX2 + FMA + F16C: the x86-64 floor (the Engine module itself is built for it).
    case avx2
    /// AVX-512 F/BW/VL with VNNI, on 256-bit registers.
    case avx512VNNI = "avx512-vnni"

    public var description: String { rawValue }

    /// The instruction sets this machine runs, best last.
    public static let available: [KernelISA] = {
        #if arch(x86_64) && os(Linux)
        let isas = genrm_cpu_isas()
        var found: [KernelISA] = [.avx2]  // the Engine module needs it to run at all
        if isas & GENRM_ISA_AVX512_VNNI != 0 { found.append(.avx512VNNI) }
        return found
        #else
        return [.portable]
        #endif
    }()

    /// The one the kernels use in this process.
    public static let selected: KernelISA = choose(requested: environmentRequest)

    /// `requested` where this machine has it, else the best it has.
    static func choose(requested: KernelISA?) -> KernelISA {
        if let requested, available.contains(requested) { return requested }
        return available.last ?? .portable
    }

    /// `GENRM_KERNELS` read as an instruction set (nil when unset or unknown).
    static var environmentRequest: KernelISA? {
        ProcessInfo.processInfo.environment["GENRM_KERNELS"].flatMap(KernelISA.init(rawValue:))
    }

    /// The value the C kernels take.
    var code: Int32 {
        switch self {
        case .avx512VNNI: GENRM_ISA_AVX512_VNNI
        case .avx2, .portable: GENRM_ISA_AVX2
        }
    }
}
