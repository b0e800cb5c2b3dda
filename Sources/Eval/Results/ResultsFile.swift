import Foundation
import JSON

/// A results file as read back: its complete lines, parsed and checked. A line counts only when
/// its newline was written: a run killed mid-write leaves a torn last line, which is reported
/// (`tornBytes`) and left out, never parsed as a judgment.
public struct ResultsFile: Sendable {
    public struct Line: Sendable, Hashable {
        public var number: Int
        public var record: ResultRecord
    }

    public var path: String
    public var lines: [Line]
    /// Bytes after the last newline: a torn last line (0 when the file ends cleanly).
    public var tornBytes: Int
    /// Bytes up to and including the last newline: what a resumed run keeps.
    public var completeLength: Int

    public static func read(path: String) throws(ResultsFileError) -> ResultsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file")
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String) throws(ResultsFileError) -> ResultsFile {
        let completeLength = (data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.startIndex) - data.startIndex
        var lines: [Line] = []
        for line in JSONLines.lines(of: data.prefix(completeLength)) {
            let record = try self.record(line.bytes, path: path, line: line.number)
            if let (field, reason) = record.violation() {
                throw .invalidField(path: path, line: line.number, field: field, reason: reason)
            }
            if let first = lines.first?.record {
                for (field, found, expected) in [
                    ("benchmark", record.benchmark.rawValue, first.benchmark.rawValue), ("model", record.model, first.model),
                    ("seed", record.seed.map(String.init) ?? "null", first.seed.map(String.init) ?? "null"),
                ] where found != expected {
                    throw .mixed(path: path, line: line.number, field: field, found: found, expected: expected)
                }
            }
            lines.append(Line(number: line.number, record: record))
        }
        return ResultsFile(path: path, lines: lines, tornBytes: data.count - completeLength, completeLength: completeLength)
    }

    /// The judgments that count, one per key in file order: a line without an error supersedes
    /// lines of the same key that hold one (a retried error), and the last error line stands
    /// when there is nothing else. Two error-free lines of one key are refused: counting a
    /// judgment twice would change the score.
    public func judgments() throws(ResultsFileError) -> [ResultRecord] {
        var chosen: [ResultKey: Line] = [:]
        var order: [ResultKey] = []
        for line in lines {
            let key = line.record.key
            guard let previous = chosen[key] else {
                chosen[key] = line
                order.append(key)
                continue
            }
            switch (previous.record.error, line.record.error) {
            case (nil, nil): throw .duplicate(path: path, firstLine: previous.number, line: line.number, key: key)
            case (nil, .some): continue
            case (.some, _): chosen[key] = line
            }
        }
        return order.compactMap { chosen[$0]?.record }
    }

    /// The keys whose judgment is final (a line without an error): what a resumed run skips.
    public var finishedKeys: Set<ResultKey> {
        Set(lines.filter { $0.record.error == nil }.map(\.record.key))
    }

    /// One line as a record: syntax errors name the byte, field errors the field and its rule.
    private static func record(_ json: Data, path: String, line: Int) throws(ResultsFileError) -> ResultRecord {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: json)
        } catch {
            throw .invalidLine(path: path, line: line, reason: "not valid JSON: at byte \(error.offset): \(error.message)")
        }
        guard case .object(let object) = value else {
            throw .invalidLine(path: path, line: line, reason: "must be a JSON object, found \(value.kind)")
        }
        return try ResultRecord(JSONFields(object) { ResultsFileError.invalidField(path: path, line: line, field: $0.field, reason: $0.problem) })
    }
}
