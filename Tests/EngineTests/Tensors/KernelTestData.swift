import Foundation
@testable import Engine
import Formats

/// Deterministic random data for tensor and kernel tests (SplitMix64).
struct KernelRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-scale, scale).
    mutating func float(_ scale: Float = 1) -> Float {
        (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale
    }

    mutating func floats(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in float(scale) }
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// `blocks` blocks of `type` with uniform random bytes, except that f16 scale fields hold
    /// finite values of magnitude <= `scale` (and float types hold finite values), so every
    /// block decodes to finite weights.
    mutating func blocks(_ type: GGMLType, count blocks: Int, scale: Float = 1) -> [UInt8] {
        switch type {
        case .f32:
            return floats(blocks, scale: scale).flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        case .f16:
            return floats(blocks, scale: scale).flatMap { v in
                withUnsafeBytes(of: HalfFloat.bits(from: v).littleEndian, Array.init)
            }
        case .bf16:
            return floats(blocks, scale: scale).flatMap { v in
                withUnsafeBytes(of: HalfFloat.bfloat16Bits(from: v).littleEndian, Array.init)
            }
        default:
            var data = bytes(blocks * type.bytesPerBlock)
            for b in 0..<blocks {
                for field in Self.scaleFields(type) {
                    let half = HalfFloat.bits(from: float(scale))
                    data[b * type.bytesPerBlock + field] = UInt8(half & 0xFF)
                    data[b * type.bytesPerBlock + field + 1] = UInt8(half >> 8)
                }
            }
            return data
        }
    }

    /// Byte offsets of the f16 scale fields inside one block.
    static func scaleFields(_ type: GGMLType) -> [Int] {
        switch type {
        case .q4_0, .q5_0, .q8_0: return [0]
        case .q4_1, .q4_K, .q5_K: return [0, 2]
        case .q6_K: return [208]
        case .f32, .f16, .bf16: return []
        }
    }
}

enum KernelFixtures {
    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }

    /// Bytes of a hex string.
    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for c in hex.utf8 {
            let nibble = c <= 57 ? c - 48 : c - 87
            if let h = high {
                out.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return out
    }

    /// The first byte where `a` and `b` differ (the shorter length where one is a prefix), nil
    /// where they are equal: for messages.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
        a == b ? nil : (zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count))
    }

    /// f32 values from 8-hex-digit bit patterns.
    static func floats(bits hex: String) -> [Float] {
        let b = bytes(hex: hex)
        return stride(from: 0, to: b.count, by: 4).map { i in
            Float(bitPattern: UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3]))
        }
    }

    /// `$GENRM_CACHE/models/<name>` (default `~/.cache/genrm`), or nil when absent.
    static func cachedModel(_ name: String) -> String? {
        let cache = ProcessInfo.processInfo.environment["GENRM_CACHE"]
            ?? NSString(string: "~/.cache/genrm").expandingTildeInPath
        let path = cache + "/models/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static let smolLM2 = "SmolLM2-135M-Instruct.Q4_1.gguf"
}

/// Reference dequantisation of encoded bytes held in an array (copied to raw memory first, so no
/// closure is needed around the throwing call).
func dequantizedReference(_ type: GGMLType, _ bytes: [UInt8]) throws(TensorError) -> [Float] {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
    defer { buffer.deallocate() }
    buffer.copyBytes(from: bytes)
    return try type.dequantizeReference(row: UnsafeRawBufferPointer(buffer))
}
