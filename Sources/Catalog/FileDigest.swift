import Crypto
import Foundation

/// SHA-256 of files, streamed in 1 MiB reads (swift-crypto).
enum FileDigest {
    static func sha256(of url: URL) throws -> String {
        var hasher = SHA256()
        try forEachChunk(of: url) { hasher.update(data: $0) }
        return hex(hasher.finalize())
    }

    /// Writes `pieces` one after another into `destination`; the digest and size of the whole.
    static func concatenate(_ pieces: [URL], into destination: URL) throws -> (sha256: String, size: Int) {
        _ = FileManager.default.createFile(atPath: destination.path, contents: nil)
        let output = try FileHandle(forWritingTo: destination)
        defer { try? output.close() }
        var hasher = SHA256()
        var size = 0
        for piece in pieces {
            try forEachChunk(of: piece) { chunk in
                hasher.update(data: chunk)
                try output.write(contentsOf: chunk)
                size += chunk.count
            }
        }
        return (hex(hasher.finalize()), size)
    }

    /// The file's bytes, 1 MiB at a time.
    private static func forEachChunk(of url: URL, _ body: (Data) throws -> Void) throws {
        let input = try FileHandle(forReadingFrom: url)
        defer { try? input.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try body(chunk) }
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
