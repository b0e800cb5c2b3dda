import Foundation
import JSON

/// One JSON object of a data file with typed field access (the JSON module's ``JSONFields``); a
/// missing or mistyped field throws an error naming the file, the record and the field.
struct JSONRecord {
    let path: String
    /// "line 12" or "record 3": where the object sits in its file.
    let location: String
    let fields: JSONFields<EvalDataError>

    init(path: String, location: String, json: Data) throws(EvalDataError) {
        try self.init(path: path, location: location, value: try Self.parse(json, path: path, record: location))
    }

    init(path: String, location: String, value: JSONValue) throws(EvalDataError) {
        guard case .object(let object) = value else {
            throw .invalidJSON(path: path, record: location, reason: "expected an object, found \(value.kind)")
        }
        self.path = path
        self.location = location
        fields = JSONFields(object) { .invalidField(path: path, record: location, field: $0.field, reason: $0.problem) }
    }

    /// Parses a file's or a line's JSON; a syntax error names the byte where it broke.
    static func parse(_ json: Data, path: String, record: String) throws(EvalDataError) -> JSONValue {
        do {
            return try JSONValue(parsing: json)
        } catch {
            throw .invalidJSON(path: path, record: record, reason: "at byte \(error.offset): \(error.message)")
        }
    }

    func string(_ field: String) throws(EvalDataError) -> String {
        try fields.string(required: field)
    }

    /// An integer; JSON numbers with a fraction are refused, not truncated.
    func integer(_ field: String) throws(EvalDataError) -> Int {
        try fields.int(required: field)
    }

    func strings(_ field: String, count: Int) throws(EvalDataError) -> [String] {
        guard let texts = try fields.strings(field) else { throw invalid(field, "is missing") }
        guard texts.count == count else { throw invalid(field, "must hold \(count) strings, found \(texts.count)") }
        return texts
    }

    /// An array of objects, each wrapped as a record located inside this one.
    func objects(_ field: String) throws(EvalDataError) -> [JSONRecord] {
        let items = try fields.array(required: field)
        var records: [JSONRecord] = []
        for (index, item) in items.enumerated() {
            guard case .object = item else { throw invalid("\(field)[\(index)]", "must be an object, found \(item.kind)") }
            records.append(try JSONRecord(path: path, location: "\(location) \(field)[\(index)]", value: item))
        }
        return records
    }

    func invalid(_ field: String, _ reason: String) -> EvalDataError {
        .invalidField(path: path, record: location, field: field, reason: reason)
    }
}

/// JSON Lines: one JSON value a line; blank lines are skipped; line numbers count from 1.
enum JSONLines {
    /// The non-blank lines with their 1-based numbers. A last line without a newline is kept.
    static func lines(of data: Data) -> [(number: Int, bytes: Data)] {
        var result: [(Int, Data)] = []
        var number = 0
        var start = data.startIndex
        while start < data.endIndex {
            number += 1
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let line = data[start..<end]
            if line.contains(where: { !Self.isWhitespace($0) }) { result.append((number, Data(line))) }
            start = end == data.endIndex ? end : data.index(after: end)
        }
        return result
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }
}
