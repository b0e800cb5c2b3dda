import Foundation
import Testing
@testable import Formats

/// A safetensors file is read exactly, and a broken one gives a typed error naming the file and
/// the tensor, never a crash or an allocation of a size the file claims.
@Suite struct SafetensorsMalformedFileTests {
    static func read(_ bytes: [UInt8]) -> SafetensorsError? {
        safetensorsError { _ = try SafetensorsFile(bytes: bytes) }
    }

    /// One tensor `t` whose entry is `entry`, over `dataBytes` zero bytes.
    static func oneTensor(_ entry: String, dataBytes: Int = 24) -> [UInt8] {
        SafetensorsImage.bytes(header: #"{"t": \#(entry)}"#, data: [UInt8](repeating: 0, count: dataBytes))
    }

    @Test func aValidFileIsReadBitForBit() throws {
        let a: [Float] = [1, -2, 3.5, .pi, -0, 1e-30]
        let image = SafetensorsImage.f32([("a", [2, 3], a), ("b", [1], [42]), ("empty", [0, 4], [])],
                                         metadata: #"{"format": "pt"}"#)
        let file = try SafetensorsFile(bytes: image)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors.map(\.name).sorted() == ["a", "b", "empty"])
        let info = try #require(file.tensorIfPresent("a"))
        #expect(info.dtype == .f32 && info.shape == [2, 3] && info.elementCount == 6 && info.byteCount == 24)
        let bytes = try file.bytes(of: info)
        let values = (0..<6).map { bytes.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) }
        #expect(values.map(\.bitPattern) == a.map(\.bitPattern))
        let empty = try #require(file.tensorIfPresent("empty"))
        #expect(try file.bytes(of: empty).isEmpty)
    }

    @Test func aFileShorterThanTheHeaderLength() {
        #expect(Self.read([1, 0, 0]) == .truncated(file: "<memory>", fileSize: 3))
    }

    /// A header length past the end, however large, is refused before anything is read or copied.
    @Test(arguments: [UInt64(100), 1 << 40, UInt64.max])
    func headerLengthPastTheEnd(_ length: UInt64) {
        let image = SafetensorsImage.bytes(header: "{}", headerLength: length)
        #expect(Self.read(image) == .headerTooLong(file: "<memory>", headerLength: length, fileSize: image.count))
    }

    @Test(arguments: ["", "{", "[1, 2]", #"{"t": 3}"#, #"{"__metadata__": {"a": 1}}"#])
    func headersThatAreNotTensorEntries(_ header: String) {
        let error = Self.read(SafetensorsImage.bytes(header: header))
        switch error {
        case .invalidHeader?, .invalidTensorEntry?: break
        default: Issue.record("\(header) gave \(String(describing: error))")
        }
    }

    @Test func unknownDTypeNamesTheTensor() {
        let error = Self.read(Self.oneTensor(#"{"dtype": "F12", "shape": [6], "data_offsets": [0, 24]}"#))
        #expect(error == .unknownDType(file: "<memory>", tensor: "t", dtype: "F12"))
        #expect(error?.description.contains("BF16") == true)
    }

    @Test(arguments: [
        (#"{"shape": [6], "data_offsets": [0, 24]}"#, "`dtype` is missing"),
        (#"{"dtype": "F32", "data_offsets": [0, 24]}"#, "`shape` is missing"),
        (#"{"dtype": "F32", "shape": [-6], "data_offsets": [0, 24]}"#, "`shape[0]` must not be negative"),
        (#"{"dtype": "F32", "shape": [6.5], "data_offsets": [0, 24]}"#, "`shape[0]` must be an integer"),
        (#"{"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 24]}"#, "more elements than"),
        (#"{"dtype": "F32", "shape": [6], "data_offsets": [0, 12, 24]}"#, "must be [begin, end]"),
    ])
    func malformedEntriesNameTheTensorAndField(_ entry: String, _ words: String) {
        let error = Self.read(Self.oneTensor(entry))
        guard case .invalidTensorEntry(let file, let tensor, let problem)? = error else {
            Issue.record("\(entry) gave \(String(describing: error))")
            return
        }
        #expect(file == "<memory>" && tensor == "t")
        #expect(problem.contains(words), "\(problem)")
    }

    @Test(arguments: [[0, 28], [8, 4], [-4, 20], [24, 48]])
    func offsetsOutsideTheData(_ offsets: [Int]) {
        let error = Self.read(Self.oneTensor(#"{"dtype": "F32", "shape": [6], "data_offsets": \#(offsets)}"#))
        #expect(error == .offsetsOutOfBounds(file: "<memory>", tensor: "t", begin: offsets[0], end: offsets[1], dataSize: 24))
    }

    @Test func byteCountDisagreeingWithShapeAndDType() {
        let error = Self.read(Self.oneTensor(#"{"dtype": "BF16", "shape": [2, 3], "data_offsets": [0, 24]}"#))
        #expect(error == .byteCountMismatch(file: "<memory>", tensor: "t", dtype: .bf16, shape: [2, 3], expected: 12, actual: 24))
    }

    @Test func overlappingTensorsAreNamedBoth() {
        let header = #"{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}, "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}"#
        let error = Self.read(SafetensorsImage.bytes(header: header, data: [UInt8](repeating: 0, count: 24)))
        #expect(error == .overlappingTensors(file: "<memory>", first: "a", second: "b"))
    }

    /// As the `safetensors` crate requires, the tensors tile the data section: a gap before the
    /// first tensor, between two, or bytes after the last are refused with the byte range.
    @Test(arguments: [
        (#"{"a": {"dtype": "F32", "shape": [4], "data_offsets": [4, 20]}}"#, 20, SafetensorsError.uncoveredData(file: "<memory>", begin: 0, end: 4, before: "a")),
        (#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [12, 20]}}"#, 20,
         .uncoveredData(file: "<memory>", begin: 8, end: 12, before: "b")),
        (#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, 20, .uncoveredData(file: "<memory>", begin: 8, end: 20, before: nil)),
    ])
    func dataNoTensorCoversIsRefused(_ header: String, _ dataBytes: Int, _ expected: SafetensorsError) {
        let error = Self.read(SafetensorsImage.bytes(header: header, data: [UInt8](repeating: 0, count: dataBytes)))
        #expect(error == expected)
        #expect(error?.description.contains("belong to no tensor") == true, "\(String(describing: error))")
    }

    /// Two entries of one name are ambiguous (which one is the tensor?): refused, naming it.
    @Test func aRepeatedTensorNameIsRefused() {
        let entry = #"{"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}"#
        let error = Self.read(SafetensorsImage.bytes(header: #"{"t": \#(entry), "t": \#(entry)}"#, data: [UInt8](repeating: 0, count: 8)))
        guard case .invalidHeader(_, let reason)? = error else {
            Issue.record("a repeated name gave \(String(describing: error))")
            return
        }
        #expect(reason.contains(#"duplicate key "t""#), "\(reason)")
    }

    /// Every prefix of a valid file is refused with an error, never read past its end.
    @Test func everyTruncationIsRefused() {
        let image = SafetensorsImage.f32([("a", [3], [1, 2, 3]), ("b", [2], [4, 5])])
        for length in 0..<image.count {
            #expect(Self.read(Array(image[0..<length])) != nil, "prefix of \(length) bytes was accepted")
        }
    }

    @Test func filesThatCannotBeMapped() throws {
        let missing = TestFiles.temporaryPath("absent.safetensors")
        guard case .cannotOpen(let path, _)? = safetensorsError({ _ = try SafetensorsFile(path: missing) }) else {
            Issue.record("a missing file was not refused")
            return
        }
        #expect(path == missing)
        let directory = try SafetensorsImage.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = safetensorsError { _ = try SafetensorsFile(path: directory) }
        #expect(error?.description.contains("not a regular file") == true, "\(String(describing: error))")
    }
}
