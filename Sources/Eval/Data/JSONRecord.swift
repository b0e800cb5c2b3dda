import Foundation

/// One JSON object of a data file with typed field access; a missing or mistyped field throws an
/// error naming the file, the record and the field.
struct JSONRecord {
    let path: String
    /// "line 12" or "record 3": where the object sits in its file.
    let location: String
    let fields: [String: Any]

    init(path: String, location: String, json: Data) throws(EvalDataError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json, options: [])
        } catch {
            let detail = JSONRecord.detail(of: error)
            throw .invalidJSON(path: path, record: location, reason: detail)
        }
        try self.init(path: path, location: location, object: object)
    }

    init(path: String, location: String, object: Any) throws(EvalDataError) {
        guard let fields = object as? [String: Any] else {
            throw .invalidJSON(path: path, record: location, reason: "expected an object, found \(Self.kind(of: object))")
        }
        self.path = path
        self.location = location
        self.fields = fields
    }

    /// JSONSerialization's message names where the syntax broke ("around line 3, column 7").
    static func detail(of error: any Error) -> String {
        (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
    }

    func string(_ field: String) throws(EvalDataError) -> String {
        guard let value = fields[field] else { throw missing(field) }
        guard let text = value as? String else { throw mistyped(field, expected: "a string", value) }
        return text
    }

    /// An integer; JSON numbers with a fraction are refused, not truncated.
    func integer(_ field: String) throws(EvalDataError) -> Int {
        guard let value = fields[field] else { throw missing(field) }
        guard let number = value as? NSNumber, !Self.isBoolean(number) else { throw mistyped(field, expected: "an integer", value) }
        let double = number.doubleValue
        guard double.rounded() == double, let integer = Int(exactly: double) else {
            throw .invalidField(path: path, record: location, field: field, reason: "must be an integer, found \(double)")
        }
        return integer
    }

    func strings(_ field: String, count: Int) throws(EvalDataError) -> [String] {
        guard let value = fields[field] else { throw missing(field) }
        guard let array = value as? [Any] else { throw mistyped(field, expected: "an array of strings", value) }
        guard array.count == count else {
            throw .invalidField(path: path, record: location, field: field, reason: "must hold \(count) strings, found \(array.count)")
        }
        var texts: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element as? String else { throw mistyped("\(field)[\(index)]", expected: "a string", element) }
            texts.append(text)
        }
        return texts
    }

    /// An array of objects, each wrapped as a record located inside this one.
    func objects(_ field: String) throws(EvalDataError) -> [JSONRecord] {
        guard let value = fields[field] else { throw missing(field) }
        guard let array = value as? [Any] else { throw mistyped(field, expected: "an array of objects", value) }
        var records: [JSONRecord] = []
        for (index, element) in array.enumerated() {
            guard let object = element as? [String: Any] else { throw mistyped("\(field)[\(index)]", expected: "an object", element) }
            records.append(try JSONRecord(path: path, location: "\(location) \(field)[\(index)]", object: object))
        }
        return records
    }

    func invalid(_ field: String, _ reason: String) -> EvalDataError {
        .invalidField(path: path, record: location, field: field, reason: reason)
    }

    private func missing(_ field: String) -> EvalDataError {
        invalid(field, "is missing")
    }

    private func mistyped(_ field: String, expected: String, _ value: Any) -> EvalDataError {
        invalid(field, "must be \(expected), found \(Self.kind(of: value))")
    }

    static func kind(of value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case is String: "a string"
        case let number as NSNumber: isBoolean(number) ? "a boolean" : "a number"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        default: "\(type(of: value))"
        }
    }

    /// JSONSerialization gives booleans as NSNumber too, of a class of their own
    /// (`__NSCFBoolean` on Darwin and Linux alike), which `NSNumber(value: true)` also has.
    private static let booleanClass = type(of: NSNumber(value: true))

    static func isBoolean(_ number: NSNumber) -> Bool {
        type(of: number) == booleanClass
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
