import Foundation
@testable import Formats

/// Little-endian byte building for hand-made (often deliberately broken) GGUF images.
struct RawBytes {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
    mutating func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) {
        bytes.append(contentsOf: Array("GGUF".utf8))
        u32(version)
        u64(tensors)
        u64(keys)
    }

    /// A tensor info: name, dimensions (ne0 first), ggml type id, offset relative to the data.
    mutating func tensorInfo(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(dims.count))
        for d in dims { u64(d) }
        u32(type)
        u64(offset)
    }

    /// Zero bytes up to the next multiple of `alignment`.
    mutating func pad(to alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }
}

enum TestFiles {
    /// A fresh path in the temporary directory; the caller removes it.
    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "genrm-formats-\(UUID().uuidString)-\(name)"
    }

    /// `$GENRM_CACHE/models/<name>` (default `~/.cache/genrm`), or nil when it is not there.
    static func cachedModel(_ name: String) -> String? {
        let cache = ProcessInfo.processInfo.environment["GENRM_CACHE"]
            ?? NSString(string: "~/.cache/genrm").expandingTildeInPath
        let path = cache + "/models/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static func fixture(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }

    /// A small valid file: three metadata keys and two F32 tensors.
    static func smallFile(alignment: Int = 32) throws -> [UInt8] {
        var writer = try GGUFWriter(alignment: alignment)
        try writer.add("general.architecture", .string("llama"))
        try writer.add("llama.block_count", .uint32(2))
        try writer.add("llama.rope.freq_base", .float32(10000))
        try writer.addTensor("a", dimensions: [4, 2], values: (0..<8).map(Float.init))
        try writer.addTensor("b", dimensions: [3], values: [1, 2, 3])
        return writer.bytes()
    }
}

/// The error of type `E` that `body` throws, or nil (also when it throws another type).
func thrownError<E: Error>(_: E.Type, _ body: () throws -> Void) -> E? {
    do {
        try body()
        return nil
    } catch {
        return error as? E
    }
}

/// The GGUF error `body` throws, or nil.
func ggufError(_ body: () throws -> Void) -> GGUFError? { thrownError(GGUFError.self, body) }
