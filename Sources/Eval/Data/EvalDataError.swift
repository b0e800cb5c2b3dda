/// Why benchmark data could not be loaded; every case names the file and, where there is one,
/// the record (line or index) and field.
public enum EvalDataError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(benchmark: String, looked: [String])
    case unreadable(path: String, reason: String)
    case invalidJSON(path: String, record: String, reason: String)
    case invalidField(path: String, record: String, field: String, reason: String)
    case duplicateItem(path: String, record: String, item: String)
    case unknownCategory(path: String, record: String, field: String, value: String)
    case invalidRequest(path: String, record: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let benchmark, let looked):
            "no \(benchmark) data found; looked for: \(looked.joined(separator: ", "))"
        case .unreadable(let path, let reason):
            "\(path): cannot be read: \(reason)"
        case .invalidJSON(let path, let record, let reason):
            "\(path) \(record): not valid JSON: \(reason)"
        case .invalidField(let path, let record, let field, let reason):
            "\(path) \(record): field \"\(field)\" \(reason)"
        case .duplicateItem(let path, let record, let item):
            "\(path) \(record): item \"\(item)\" appears twice"
        case .unknownCategory(let path, let record, let field, let value):
            "\(path) \(record): field \"\(field)\" = \"\(value)\" maps to no known category"
        case .invalidRequest(let path, let record, let reason):
            "\(path) \(record): cannot be judged: \(reason)"
        }
    }
}
