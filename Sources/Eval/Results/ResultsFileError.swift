/// Why a results file cannot be read or appended to; every case names the file and the line.
public enum ResultsFileError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case empty(path: String)
    case invalidLine(path: String, line: Int, reason: String)
    case invalidField(path: String, line: Int, field: String, reason: String)
    case duplicate(path: String, firstLine: Int, line: Int, key: ResultKey)
    case mixed(path: String, line: Int, field: String, found: String, expected: String)
    case locked(path: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot be read: \(reason)"
        case .empty(let path): "\(path): holds no results"
        case .invalidLine(let path, let line, let reason): "\(path) line \(line): \(reason)"
        case .invalidField(let path, let line, let field, let reason): "\(path) line \(line): field \"\(field)\" \(reason)"
        case .duplicate(let path, let firstLine, let line, let key):
            "\(path) lines \(firstLine) and \(line): the same judgment (\(key)) twice"
        case .mixed(let path, let line, let field, let found, let expected):
            "\(path) line \(line): \(field) \"\(found)\" differs from \"\(expected)\" (one results file holds one run; use another --out)"
        case .locked(let path): "\(path): another genrm eval run is writing this file"
        case .writeFailed(let path, let reason): "\(path): cannot be written: \(reason)"
        }
    }
}
