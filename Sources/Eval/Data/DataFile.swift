import Foundation

/// Reads a data file whole; `.gz` files are decompressed (gzip, RFC 1952).
enum DataFile {
    static func read(_ path: String) throws(EvalDataError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file")
        }
        guard path.hasSuffix(".gz") else { return data }
        do {
            return try Gzip.decompress(data)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }

    /// The file's JSON Lines as records located "line N".
    static func jsonLines(_ path: String) throws(EvalDataError) -> [JSONRecord] {
        var records: [JSONRecord] = []
        for line in JSONLines.lines(of: try read(path)) {
            records.append(try JSONRecord(path: path, location: "line \(line.number)", json: line.bytes))
        }
        return records
    }
}
