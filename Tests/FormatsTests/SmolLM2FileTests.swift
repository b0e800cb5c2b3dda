import Foundation
import Testing
@testable import Formats

/// The real SmolLM2 file against its layout as Python `gguf.GGUFReader` reads it
/// (Fixtures/smollm2-layout.json, written by scripts/golden_gguf.py).
@Suite struct SmolLM2FileTests {
    static let modelName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    struct Layout: Decodable {
        struct Entry: Decodable {
            let key: String
            let type: String
            let count: Int?
        }
        struct Tensor: Decodable {
            let name: String
            let dims: [Int]
            let type: String
            let offset: Int
            let bytes: Int
        }
        let version: Int
        let alignment: Int
        let data_offset: Int
        let file_size: Int
        let metadata: [Entry]
        let tensors: [Tensor]
    }

    @Test(.enabled(if: TestFiles.cachedModel(modelName) != nil, "needs the SmolLM2 asset"))
    func layoutMatchesPythonGGUF() throws {
        let layout = try JSONDecoder().decode(Layout.self, from: try TestFiles.fixture("smollm2-layout.json"))
        let file = try GGUFFile(path: try #require(TestFiles.cachedModel(Self.modelName)))
        #expect(file.version == layout.version)
        #expect(file.alignment == layout.alignment)
        #expect(file.dataOffset == layout.data_offset)
        #expect(file.fileSize == layout.file_size)
        #expect(file.metadata.keys == layout.metadata.map(\.key))
        for entry in layout.metadata {
            let value = try file.metadata.value(entry.key)
            if let count = entry.count {
                #expect(value.array?.count == count, "\(entry.key)")
            } else {
                #expect(value.valueType.description == entry.type.lowercased(), "\(entry.key)")
            }
        }
        #expect(file.tensors.count == layout.tensors.count)
        for (info, expected) in zip(file.tensors, layout.tensors) {
            #expect(info.name == expected.name)
            #expect(info.dimensions == expected.dims, "\(info.name)")
            #expect(info.type.name == expected.type, "\(info.name)")
            #expect(info.offset == expected.offset, "\(info.name)")
            #expect(info.byteCount == expected.bytes, "\(info.name)")
        }
        #expect(try file.metadata.int("llama.block_count") == 30)
        #expect(try file.metadata.float("llama.rope.freq_base") == 100_000)
        #expect(try file.metadata.strings("tokenizer.ggml.tokens").count == 49152)
        #expect(try file.metadata.strings("tokenizer.ggml.tokens")[5] == "<file_sep>")
        #expect(try file.tensor("token_embd.weight", dimensions: [576, 49152]).type == .q8_0)
    }

    /// Weights are mapped, not copied: touching every tensor page keeps the process's resident
    /// memory within the file size + 64 MiB of what it was before opening.
    @Test(.enabled(if: TestFiles.cachedModel(modelName) != nil, "needs the SmolLM2 asset"),
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status"), "reads /proc"))
    func residentMemoryStaysWithinFileSize() throws {
        let path = try #require(TestFiles.cachedModel(Self.modelName))
        let before = try Self.residentBytes()
        let file = try GGUFFile(path: path)
        var checksum: UInt64 = 0
        for tensor in file.tensors {
            let bytes = try file.bytes(of: tensor)
            for offset in stride(from: 0, to: bytes.count, by: 4096) { checksum &+= UInt64(bytes[offset]) }
        }
        let after = try Self.residentBytes()
        #expect(checksum > 0)
        #expect(after - before < file.fileSize + 64 << 20, "RSS grew by \(after - before) bytes")
    }

    /// VmRSS of this process from /proc/self/status.
    static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = try #require(Int(line.split(separator: " ")[1]))
        return kilobytes * 1024
    }
}
