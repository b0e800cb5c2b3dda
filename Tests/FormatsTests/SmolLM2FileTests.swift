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

    /// Weights are mapped, not copied: every tensor's bytes lie inside the file's own read-only
    /// mapping, and after touching every page that mapping holds no anonymous (copied) pages.
    /// Measured on the mapping itself (/proc/self/smaps), not on process RSS, so tests running
    /// beside this one cannot disturb it.
    @Test(.enabled(if: TestFiles.cachedModel(modelName) != nil, "needs the SmolLM2 asset"),
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/smaps"), "reads /proc"))
    func weightsStayInTheFileMapping() throws {
        let path = try #require(TestFiles.cachedModel(Self.modelName))
        let file = try GGUFFile(path: path)
        let mapped = file.fileBytes
        let start = UInt(bitPattern: mapped.baseAddress), end = start + UInt(mapped.count)
        var checksum: UInt64 = 0
        for tensor in file.tensors {
            let bytes = try file.bytes(of: tensor)
            let address = UInt(bitPattern: bytes.baseAddress)
            #expect(address >= start && address + UInt(bytes.count) <= end, "\(tensor.name) lies outside the mapping")
            for offset in stride(from: 0, to: bytes.count, by: 4096) { checksum &+= UInt64(bytes[offset]) }
        }
        #expect(checksum > 0)
        let mapping = try #require(try Self.mapping(containing: start), "no /proc/self/smaps entry for the file")
        #expect(mapping.path == URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
        #expect(mapping.permissions.hasPrefix("r-"), "mapping is \(mapping.permissions)")
        #expect(mapping.fields["Anonymous"] == 0, "copied pages: \(mapping.fields)")
        #expect((mapping.fields["Size"] ?? 0) >= file.fileSize)
    }

    struct Mapping {
        var path: String
        var permissions: String
        var fields: [String: Int] = [:]
    }

    /// The /proc/self/smaps entry whose address range holds `address`, with its sizes in bytes.
    static func mapping(containing address: UInt) throws -> Mapping? {
        // Read to the end: String(contentsOfFile:) stops at the first page of a /proc file.
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var current: Mapping?
        for line in smaps.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = parts.first, range.contains("-"), !range.hasSuffix(":") {
                if current != nil { return current }
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                guard bounds.count == 2, bounds[0] <= address, address < bounds[1] else { continue }
                current = Mapping(path: parts.count >= 6 ? parts[5...].joined(separator: " ") : "", permissions: String(parts[1]))
            } else if current != nil, parts.count >= 2, parts[0].hasSuffix(":"), let value = Int(parts[1]) {
                current?.fields[String(parts[0].dropLast())] = parts.count >= 3 && parts[2] == "kB" ? value * 1024 : value
            }
        }
        return current
    }
}
