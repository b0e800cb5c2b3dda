import Foundation
import Formats
import Testing
@testable import Engine

/// The checkpoints numpy and safetensors wrote read back bit for bit: every tensor's file,
/// dtype, shape, bytes and first values as the script recorded them.
@Suite struct HFCheckpointReadingTests {
    /// The value of element `index` of a tensor stored as `dtype`, widened exactly.
    static func value(_ bytes: UnsafeRawBufferPointer, _ index: Int, dtype: SafetensorsDType) -> Double {
        switch dtype {
        case .f32: Double(bytes.loadUnaligned(fromByteOffset: 4 * index, as: Float.self))
        case .f16: Double(Float(Float16(bitPattern: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))))
        case .bf16: Double(Float(bitPattern: UInt32(bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)) << 16))
        default: .nan
        }
    }

    @Test(arguments: [("llama", 1), ("qwen2", 1), ("decilm", 3)])
    func everyTensorReadsAsWritten(_ name: String, _ fileCount: Int) throws {
        let checkpoint = try HFCheckpoint(directory: try HFFixtures.directory(name))
        let expected = try HFFixtures.expected(name)
        let weights = try #require(checkpoint.weights)
        #expect(weights.files.count == fileCount)
        #expect(Set(weights.tensors.map(\.name)) == Set(expected.tensors.keys))
        for (tensorName, want) in expected.tensors {
            let (file, info) = try #require(weights.tensorIfPresent(tensorName))
            #expect(file.source.hasSuffix("/" + want.file), "\(tensorName) in \(file.source)")
            #expect(info.dtype.rawValue == want.dtype && info.shape == want.shape, "\(tensorName)")
            let bytes = try weights.bytes(of: tensorName)
            #expect(HFFixtures.fnv1a64(bytes) == want.fnv1a64, "\(tensorName) bytes differ")
            let first = want.first.indices.map { Self.value(bytes, $0, dtype: info.dtype) }
            #expect(first == want.first, "\(tensorName)")
        }
    }

    /// What genrm expects of each architecture (names, shapes) is what transformers' layout,
    /// as the script writes it, holds: the reader's checks pass on every fixture, and the
    /// config-implied tensors are the stored ones.
    @Test(arguments: ["llama", "qwen2", "decilm"])
    func theConfigImpliesExactlyTheStoredTensors(_ name: String) throws {
        let checkpoint = try HFCheckpoint(directory: try HFFixtures.directory(name))
        let expected = try HFFixtures.expected(name)
        let implied = checkpoint.expectedTensors
        #expect(Dictionary(uniqueKeysWithValues: implied.map { ($0.name, $0.shape) }) == expected.tensors.mapValues(\.shape))
    }
}
