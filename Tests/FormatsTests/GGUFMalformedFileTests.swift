import Foundation
import Testing
@testable import Formats

/// Broken files give a typed error naming the problem and where it is, never a crash.
@Suite struct GGUFMalformedFileTests {
    /// A file with one F32 tensor `t` of `dims`, whose info fields can be overridden.
    static func oneTensorFile(dims: [UInt64] = [4], type: UInt32 = 0, offset: UInt64 = 0,
                              dataBytes: Int = 16, keys: (inout RawBytes) -> UInt64 = { _ in 0 }) -> [UInt8] {
        var meta = RawBytes()
        let keyCount = keys(&meta)
        var raw = RawBytes()
        raw.header(tensors: 1, keys: keyCount)
        raw.bytes += meta.bytes
        raw.tensorInfo("t", dims: dims, type: type, offset: offset)
        raw.pad()
        raw.bytes += [UInt8](repeating: 0, count: dataBytes)
        return raw.bytes
    }

    @Test func wrongMagic() {
        var bytes = Self.oneTensorFile()
        bytes[3] = UInt8(ascii: "X")
        let error = ggufError { _ = try GGUFFile(bytes: bytes) }
        #expect(error == .badMagic(found: Array("GGUX".utf8)))
        #expect(error?.description.contains("offset 0") == true)
    }

    @Test(arguments: [UInt32(0), 1, 4, 0x0300_0000])
    func unsupportedVersion(_ version: UInt32) {
        var raw = RawBytes()
        raw.header(version: version, tensors: 0, keys: 0)
        #expect(ggufError { _ = try GGUFFile(bytes: raw.bytes) } == .unsupportedVersion(version))
    }

    @Test func everyTruncationIsReported() throws {
        let bytes = try TestFiles.smallFile()
        let full = try GGUFFile(bytes: bytes)
        // The writer pads after the last tensor; cutting only padding leaves a valid file.
        let end = full.tensors.map { $0.offset + $0.byteCount }.max() ?? full.dataOffset
        for length in 0..<bytes.count {
            let error = ggufError { _ = try GGUFFile(bytes: Array(bytes[0..<length])) }
            if length >= end {
                #expect(error == nil)
            } else if length < full.dataOffset {
                switch error {
                case .truncated(_, let offset, let count, let size)?:
                    #expect(size == length && offset + count > length)
                case .implausibleCount(_, _, _, _, _, let size)?:
                    #expect(size == length)
                default:
                    Issue.record("prefix of \(length) bytes gave \(String(describing: error))")
                }
            } else {
                guard case .tensorOutOfBounds(_, _, _, let size)? = error else {
                    Issue.record("prefix of \(length) bytes gave \(String(describing: error))")
                    continue
                }
                #expect(size == length)
            }
        }
    }

    @Test func emptyAndMissingFiles() throws {
        let path = TestFiles.temporaryPath("empty.gguf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(ggufError { _ = try GGUFFile(path: path) }
            == .truncated(what: "magic", offset: 0, byteCount: 4, fileSize: 0))
        guard case .cannotOpen(let missing, _)? = ggufError({ _ = try GGUFFile(path: path + ".absent") }) else {
            Issue.record("a missing file must be .cannotOpen")
            return
        }
        #expect(missing == path + ".absent")
        #expect(ggufError { _ = try GGUFFile(path: NSTemporaryDirectory()) }
            == .cannotOpen(path: NSTemporaryDirectory(), reason: "not a regular file (a directory)"))
    }

    /// A FIFO given as the model is refused by its kind at once: a blocking open() would wait for
    /// a writer forever.
    @Test func aFIFOIsRefusedWithoutWaiting() throws {
        let path = TestFiles.temporaryPath("model.fifo")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #require(mkfifo(path, 0o600) == 0)
        #expect(ggufError { _ = try GGUFFile(path: path) } == .cannotOpen(path: path, reason: "not a regular file (a FIFO)"))
    }

    @Test func tensorDataPastTheEnd() {
        let bytes = Self.oneTensorFile(dims: [8], dataBytes: 16)
        let error = ggufError { _ = try GGUFFile(bytes: bytes) }
        guard case .tensorOutOfBounds("t", let offset, 32, let size)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(size == bytes.count && offset == bytes.count - 16)
        let far = Self.oneTensorFile(offset: 1 << 62)
        guard case .tensorOutOfBounds("t", _, 16, _)? = ggufError({ _ = try GGUFFile(bytes: far) }) else {
            Issue.record("an offset far past the end must be out of bounds")
            return
        }
        let overflowing = Self.oneTensorFile(offset: UInt64(Int.max) - 31)
        #expect(ggufError { _ = try GGUFFile(bytes: overflowing) } != nil)
    }

    @Test func misalignedTensorOffset() {
        let bytes = Self.oneTensorFile(offset: 4, dataBytes: 64)
        #expect(ggufError { _ = try GGUFFile(bytes: bytes) } == .misalignedTensor(tensor: "t", offset: 4, alignment: 32))
    }

    @Test func unknownTensorType() {
        let bytes = Self.oneTensorFile(type: 99)
        // header 24 + name (8 + 1) + dims count 4 + one dim 8 = 45: the type field.
        #expect(ggufError { _ = try GGUFFile(bytes: bytes) } == .unknownTensorType(tensor: "t", raw: 99, offset: 45))
        #expect(GGUFError.unknownTensorType(tensor: "t", raw: 99, offset: 45).description.contains("45"))
    }

    @Test(arguments: [[UInt64](), [1, 1, 1, 1, 1], [0], [4, 0], [1 << 40, 1 << 40]])
    func badDimensions(_ dims: [UInt64]) {
        let error = ggufError { _ = try GGUFFile(bytes: Self.oneTensorFile(dims: dims)) }
        guard case .invalidTensorInfo("t", 24, _)? = error else {
            Issue.record("dims \(dims) gave \(String(describing: error))")
            return
        }
    }

    @Test func rowNotAWholeNumberOfBlocks() {
        let error = ggufError { _ = try GGUFFile(bytes: Self.oneTensorFile(dims: [31], type: GGMLType.q4_0.rawValue)) }
        guard case .invalidTensorInfo("t", 24, let reason)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(reason.contains("31"))
    }

    @Test func unknownValueTypeAndBadBool() {
        let unknown = Self.oneTensorFile { raw in
            raw.string("k")
            raw.u32(13)
            return 1
        }
        #expect(ggufError { _ = try GGUFFile(bytes: unknown) } == .unknownValueType(raw: 13, key: "k", offset: 33))
        let badBool = Self.oneTensorFile { raw in
            raw.string("flag")
            raw.u32(GGUFValueType.bool.rawValue)
            raw.u8(2)
            return 1
        }
        guard case .invalidValue("flag", _)? = ggufError({ _ = try GGUFFile(bytes: badBool) }) else {
            Issue.record("a bool of 2 must be rejected")
            return
        }
    }

    /// A count the rest of the file cannot hold is refused before anything is allocated, with
    /// the count as read (not a byte total that overflowed to Int.max or -1).
    @Test func hugeCountsAreNamedNotAllocated() {
        var keys = RawBytes()
        keys.header(tensors: 0, keys: 1 << 60)
        #expect(ggufError { _ = try GGUFFile(bytes: keys.bytes) }
            == .implausibleCount(what: "metadata key count", offset: 16, count: 1 << 60, eachAtLeast: 12,
                                 bytesLeft: 0, fileSize: 24))
        var tensors = RawBytes()
        tensors.header(tensors: UInt64.max, keys: 0)
        let tensorError = ggufError { _ = try GGUFFile(bytes: tensors.bytes) }
        #expect(tensorError == .implausibleCount(what: "tensor count", offset: 8, count: UInt64.max, eachAtLeast: 32,
                                                 bytesLeft: 8, fileSize: 24))
        #expect(tensorError?.description == "bad GGUF file: tensor count at offset 8 is 18446744073709551615, but "
            + "only 8 bytes follow it (of 24), room for at most 0 (each takes at least 32 bytes): the file is "
            + "truncated or the count corrupt")
        for length: UInt64 in [1 << 61, 1 << 63] {
            let array = Self.oneTensorFile { raw in
                raw.string("a")
                raw.u32(GGUFValueType.array.rawValue)
                raw.u32(GGUFValueType.uint64.rawValue)
                raw.u64(length)
                return 1
            }
            guard case .implausibleCount(let what, 41, length, 8, _, _)? = ggufError({ _ = try GGUFFile(bytes: array) }) else {
                Issue.record("an array of \(length) elements must be refused at its count")
                continue
            }
            #expect(what == "element count of 'a' (uint64)")
        }
        // A key whose type tag says array where the file holds a string: the string's length is
        // read as the element type, its bytes as the count.
        let flipped = Self.oneTensorFile { raw in
            raw.string("k")
            raw.u32(GGUFValueType.array.rawValue)
            raw.string("some text value")
            return 1
        }
        let flippedError = ggufError { _ = try GGUFFile(bytes: flipped) }
        #expect(!(flippedError?.description.contains("-1") ?? true), "\(String(describing: flippedError))")
        let longString = Self.oneTensorFile { raw in
            raw.u64(1 << 50)
            return 1
        }
        guard case .implausibleCount(let what, _, 1 << 50, 1, _, _)? = ggufError({ _ = try GGUFFile(bytes: longString) }) else {
            Issue.record("a 2^50-byte key must be refused at its length")
            return
        }
        #expect(what == "length of key of metadata entry 0")
    }

    @Test func duplicatesAndInvalidUTF8() {
        let duplicateKey = Self.oneTensorFile { raw in
            for _ in 0..<2 {
                raw.string("k")
                raw.u32(GGUFValueType.uint8.rawValue)
                raw.u8(1)
            }
            return 2
        }
        #expect(ggufError { _ = try GGUFFile(bytes: duplicateKey) } == .duplicateKey("k", offset: 38))
        var twoTensors = RawBytes()
        twoTensors.header(tensors: 2, keys: 0)
        twoTensors.tensorInfo("t", dims: [4], type: 0, offset: 0)
        twoTensors.tensorInfo("t", dims: [4], type: 0, offset: 32)
        twoTensors.pad()
        twoTensors.bytes += [UInt8](repeating: 0, count: 64)
        #expect(ggufError { _ = try GGUFFile(bytes: twoTensors.bytes) } == .duplicateTensor("t", offset: 57))
        let badKey = Self.oneTensorFile { raw in
            raw.u64(2)
            raw.bytes += [0xC3, 0x28]
            raw.u32(GGUFValueType.uint8.rawValue)
            raw.u8(0)
            return 1
        }
        #expect(ggufError { _ = try GGUFFile(bytes: badKey) } == .invalidUTF8(what: "key of metadata entry 0", offset: 24))
    }

    @Test func invalidAlignment() {
        let three = Self.oneTensorFile { raw in
            raw.string("general.alignment")
            raw.u32(GGUFValueType.uint32.rawValue)
            raw.u32(3)
            return 1
        }
        #expect(ggufError { _ = try GGUFFile(bytes: three) } == .invalidAlignment(3))
        let text = Self.oneTensorFile { raw in
            raw.string("general.alignment")
            raw.string("")
            return 1
        }
        // The value type tag of a string written where the u32 tag goes is read as the tag 0
        // (uint8) followed by garbage; either way the file must be refused, not crash.
        #expect(ggufError { _ = try GGUFFile(bytes: text) } != nil)
        let typed = Self.oneTensorFile { raw in
            raw.string("general.alignment")
            raw.u32(GGUFValueType.string.rawValue)
            raw.string("64")
            return 1
        }
        #expect(ggufError { _ = try GGUFFile(bytes: typed) }
            == .keyTypeMismatch(key: "general.alignment", actual: "string", expected: "integer"))
    }

    @Test func missingTensorAndContradictingShape() throws {
        let file = try GGUFFile(bytes: try TestFiles.smallFile())
        #expect(ggufError { _ = try file.tensor("output.weight") } == .missingTensor("output.weight"))
        #expect(ggufError { _ = try file.tensor("a", dimensions: [2, 4]) }
            == .shapeMismatch(tensor: "a", expected: [2, 4], actual: [4, 2]))
    }

    /// Random byte corruption anywhere in a valid file: any outcome but a crash.
    @Test func randomCorruptionNeverCrashes() throws {
        let original = try TestFiles.smallFile()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var refused = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<(1 + next() % 4) {
                bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next())
            }
            if ggufError({ _ = try GGUFFile(bytes: bytes) }) != nil { refused += 1 }
        }
        #expect(refused > 0)
    }
}
