import Foundation
@testable import Formats

/// Safetensors images built by hand, valid or deliberately broken: the header JSON exactly as
/// given, then the data bytes.
enum SafetensorsImage {
    static func bytes(header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> [UInt8] {
        var raw = RawBytes()
        let json = Array(header.utf8)
        raw.u64(headerLength ?? UInt64(json.count))
        raw.bytes += json
        raw.bytes += data
        return raw.bytes
    }

    /// A valid image of F32 tensors (name, shape, values) laid out in the order given.
    static func f32(_ tensors: [(name: String, shape: [Int], values: [Float])], metadata: String? = nil) -> [UInt8] {
        var entries: [String] = metadata.map { [#""__metadata__": \#($0)"#] } ?? []
        var data: [UInt8] = []
        for tensor in tensors {
            let begin = data.count
            for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
            entries.append(#""\#(tensor.name)": {"dtype": "F32", "shape": \#(tensor.shape), "data_offsets": [\#(begin), \#(data.count)]}"#)
        }
        return bytes(header: "{" + entries.joined(separator: ", ") + "}", data: data)
    }

    /// A fresh empty directory in the temporary directory; the caller removes it.
    static func temporaryDirectory() throws -> String {
        let path = TestFiles.temporaryPath("checkpoint")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// The safetensors error `body` throws, or nil.
func safetensorsError(_ body: () throws -> Void) -> SafetensorsError? { thrownError(SafetensorsError.self, body) }
