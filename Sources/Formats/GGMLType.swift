/// A ggml tensor element type as stored in GGUF tensor infos (the `ggml_type` ids).
///
/// It lives in `Formats` because the reader needs block sizes to compute each tensor's byte size
/// and to validate it; the engine uses the same type for its block layouts and kernels.
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q8_0 = 8
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case bf16 = 30

    /// The ggml spelling (`Q4_1`, `F32`, ...), as llama.cpp and Python `gguf` print it.
    public var name: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q5_0: return "Q5_0"
        case .q8_0: return "Q8_0"
        case .q4_K: return "Q4_K"
        case .q5_K: return "Q5_K"
        case .q6_K: return "Q6_K"
        case .bf16: return "BF16"
        }
    }

    public var description: String { name }

    /// Weights per block (1 for plain floats, 32 for the legacy quants, 256 for K-quants).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: return 1
        case .q4_0, .q4_1, .q5_0, .q8_0: return 32
        case .q4_K, .q5_K, .q6_K: return 256
        }
    }

    /// Bytes of one block.
    public var bytesPerBlock: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .q4_0: return 18  // f16 d + 16 B nibbles
        case .q4_1: return 20  // f16 d + f16 m + 16 B nibbles
        case .q5_0: return 22  // f16 d + 4 B high bits + 16 B nibbles
        case .q8_0: return 34  // f16 d + 32 int8
        case .q4_K: return 144  // f16 d + f16 dmin + 12 B scales + 128 B nibbles
        case .q5_K: return 176  // f16 d + f16 dmin + 12 B scales + 32 B high bits + 128 B nibbles
        case .q6_K: return 210  // 128 B low nibbles + 64 B high bits + 16 int8 scales + f16 d
        }
    }

    /// Bytes of a row of `elements` weights, or nil when `elements` is not a positive multiple
    /// of the block size (such a row cannot be stored in this type).
    public func rowByteCount(elements: Int) -> Int? {
        guard elements > 0, elements % blockSize == 0 else { return nil }
        let (bytes, overflow) = (elements / blockSize).multipliedReportingOverflow(by: bytesPerBlock)
        return overflow ? nil : bytes
    }

    /// The type for a raw ggml id, or nil for ids this project does not support.
    public init?(ggmlID: UInt32) {
        self.init(rawValue: ggmlID)
    }
}
