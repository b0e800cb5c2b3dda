import Foundation
import Testing
@testable import Formats

/// GGUFWriter output read back by GGUFFile: every metadata type, nested arrays, tensors.
@Suite struct GGUFRoundTripTests {
    static let everyType: [(String, GGUFValue)] = [
        ("u8", .uint8(250)), ("i8", .int8(-7)), ("u16", .uint16(65000)), ("i16", .int16(-30000)),
        ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)),
        ("u64", .uint64(18_000_000_000_000_000_000)), ("i64", .int64(-9_000_000_000_000_000_000)),
        ("f32", .float32(-1.5e-7)), ("f64", .float64(3.141592653589793)),
        ("t", .bool(true)), ("f", .bool(false)),
        ("s", .string("héllo ✓ \u{0}zero")), ("empty string", .string("")),
        ("strings", .array([.string("a"), .string(""), .string("ü")])),
        ("ints", .array([.int32(1), .int32(-2), .int32(3)])),
        ("empty", .array([])),
        ("nested", .array([.array([.uint8(1), .uint8(2)]), .array([]), .array([.uint8(3)])])),
        ("deep", .array([.array([.array([.string("x")])])])),
        ("floats", .array([.float64(0.5), .float64(-0.25)])),
    ]

    @Test func everyMetadataTypeRoundTripsInOrder() throws {
        var writer = try GGUFWriter()
        for (key, value) in Self.everyType { try writer.add(key, value) }
        let file = try GGUFFile(bytes: writer.bytes())
        #expect(file.version == 3)
        #expect(file.metadata.keys == Self.everyType.map(\.0))
        for (key, value) in Self.everyType {
            #expect(file.metadata[key] == value, "key \(key)")
        }
        #expect(file.tensors.isEmpty)
    }

    @Test(arguments: [32, 64, 256])
    func tensorsRoundTripAtAlignment(_ alignment: Int) throws {
        var writer = try GGUFWriter(alignment: alignment)
        let a: [Float] = (0..<24).map { Float($0) * 0.5 }
        let q: [UInt8] = (0..<(2 * 34)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try writer.add("general.architecture", .string("test"))
        try writer.addTensor("a.weight", dimensions: [8, 3], values: a)
        try writer.addTensor("q.weight", dimensions: [32, 2], type: .q8_0, data: q)
        try writer.addTensor("v", dimensions: [2, 1, 1, 3], type: .f16, data: [UInt8](repeating: 0x3C, count: 12))
        let file = try GGUFFile(bytes: writer.bytes())
        #expect(file.alignment == alignment)
        #expect(file.dataOffset % alignment == 0)
        #expect(file.tensors.map(\.name) == ["a.weight", "q.weight", "v"])
        let info = try file.tensor("q.weight", dimensions: [32, 2])
        #expect(info.type == .q8_0 && info.byteCount == 68 && info.rowCount == 2 && info.rowLength == 32)
        #expect(info.offset % alignment == 0)
        #expect(Array(try file.bytes(of: info)) == q)
        let floats = try file.bytes(of: "a.weight")
        #expect((0..<24).map { floats.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } == a)
        #expect(try file.tensor("v").dimensions == [2, 1, 1, 3])
        if alignment != 32 {
            #expect(file.metadata["general.alignment"] == .uint32(UInt32(alignment)))
        }
    }

    @Test func versionTwoFilesAreRead() throws {
        var bytes = try TestFiles.smallFile()
        bytes[4] = 2
        let file = try GGUFFile(bytes: bytes)
        #expect(file.version == 2)
        #expect(file.tensors.count == 2)
    }

    @Test func writtenFileIsMappedFromDisk() throws {
        let path = TestFiles.temporaryPath("small.gguf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = try GGUFWriter()
        try writer.add("k", .string("v"))
        try writer.addTensor("t", dimensions: [4], values: [1, 2, 3, 4])
        try writer.write(to: path)
        let file = try GGUFFile(path: path)
        #expect(file.source == path)
        #expect(file.fileSize == writer.bytes().count)
        let data = try file.bytes(of: "t")
        // The tensor bytes point into the mapping, not into a copy.
        #expect(data.baseAddress == file.fileBytes.baseAddress.map { $0 + file.tensors[0].offset })
        #expect(data.loadUnaligned(fromByteOffset: 12, as: Float.self) == 4)
    }

    @Test func writerRefusesWhatGGUFCannotHold() throws {
        var writer = try GGUFWriter()
        #expect(ggufError { try writer.add("mixed", .array([.uint8(1), .string("x")])) } == .mixedArray(key: "mixed"))
        try writer.add("k", .bool(true))
        #expect(ggufError { try writer.add("k", .bool(false)) } == .duplicateKey("k", offset: -1))
        #expect(ggufError { try writer.addTensor("t", dimensions: [3], values: [1, 2]) } != nil)
        #expect(ggufError { try writer.addTensor("q", dimensions: [31], type: .q8_0, data: []) } != nil)
        #expect(ggufError { _ = try GGUFWriter(alignment: 48) } == .invalidAlignment(48))
    }

    @Test func lookupOfAForeignTensorInfoIsRefused() throws {
        let file = try GGUFFile(bytes: try TestFiles.smallFile())
        let forged = GGUFTensorInfo(name: "a", dimensions: [4, 2], type: .f32, offset: 1 << 40, byteCount: 32)
        #expect(ggufError { _ = try file.bytes(of: forged) } == .missingTensor("a"))
    }
}
