import Foundation
import Testing
@testable import Eval

/// Reading results files: the line format, torn lines, duplicates, mixed runs, bad fields.
@Suite struct ResultsFileTests {
    static let line = #"{"benchmark": "judgebench", "item": "p1", "category": "Math", "pair": "AB", "chosen_position": 1, "ranking": 2.0, "votes": [2], "scores": [4, 2], "failures": 0, "model": "m", "seed": 1}"#

    func parse(_ text: String) throws(ResultsFileError) -> ResultsFile {
        try ResultsFile.parse(Data(text.utf8), path: "r.jsonl")
    }

    func replacing(_ old: String, _ new: String) -> String {
        Self.line.replacingOccurrences(of: old, with: new)
    }

    @Test func theDocumentedLineFormatParses() throws {
        let file = try parse(Self.line + "\n")
        let record = try #require(file.lines.first?.record)
        #expect(record == ResultRecord(
            benchmark: .judgeBench, item: "p1", category: "Math", pair: "AB", chosenPosition: 1, ranking: 2, votes: [2],
            scores: [4, 2], failures: 0, model: "m", seed: 1))
        #expect(record.preferredPosition == 1)
        #expect(record.prefersChosen)
    }

    @Test func writtenLinesReadBackUnchanged() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let path = folder.appendingPathComponent("r.jsonl").path
        let records = [
            record(.judgeBench, item: "p1", category: "Math", pair: "AB", chosen: 1, ranking: 2.5),
            record(.judgeBench, item: "p1", category: "Math", pair: "BA", chosen: 2, ranking: nil, failures: 3),
            record(.judgeBench, item: "p2 \"quoted\"\nline", category: "Code", pair: "AB", chosen: 1, ranking: nil, error: "context overflow"),
        ]
        let (writer, existing) = try ResultsWriter.open(path: path)
        #expect(existing.lines.isEmpty)
        for record in records { try await writer.append(record) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.contains(#""ranking":null"#))
        #expect(text.contains(#""scores":null"#))
        #expect(try ResultsFile.read(path: path).lines.map(\.record) == records)
    }

    @Test func aLineWithoutItsNewlineIsTorn() throws {
        let file = try parse(Self.line + "\n" + Self.line.prefix(40))
        #expect(file.lines.count == 1)
        #expect(file.tornBytes == 40)
        #expect(file.completeLength == Self.line.utf8.count + 1)
        // Even a complete-looking JSON object counts only once its newline is written.
        #expect(try parse(Self.line).lines.isEmpty)
        #expect(try parse("").lines.isEmpty)
    }

    @Test func blankLinesAreSkippedAndLinesKeepTheirNumbers() throws {
        let file = try parse("\n" + Self.line + "\n\n" + replacing("\"AB\"", "\"BA\"") + "\n")
        #expect(file.lines.map(\.number) == [2, 4])
    }

    @Test func theSameJudgmentTwiceIsRefused() throws {
        #expect(throws: ResultsFileError.duplicate(path: "r.jsonl", firstLine: 1, line: 2, key: ResultKey(item: "p1", pair: "AB"))) {
            _ = try parse(Self.line + "\n" + Self.line + "\n").judgments()
        }
    }

    @Test func anErrorLineIsSupersededByALaterJudgment() throws {
        let failed = replacing("\"failures\": 0", "\"failures\": 1, \"error\": \"boom\"").replacingOccurrences(of: "\"ranking\": 2.0", with: "\"ranking\": null")
        let judgments = try parse(failed + "\n" + Self.line + "\n" + failed + "\n").judgments()
        #expect(judgments.count == 1)
        #expect(judgments.first?.error == nil)
        #expect(try parse(failed + "\n").finishedKeys.isEmpty)
    }

    @Test func oneFileHoldsOneRun() {
        #expect(throws: ResultsFileError.mixed(path: "r.jsonl", line: 2, field: "model", found: "other", expected: "m")) {
            _ = try parse(Self.line + "\n" + replacing("\"m\"", "\"other\"").replacingOccurrences(of: "AB", with: "BA") + "\n")
        }
        #expect(throws: ResultsFileError.mixed(path: "r.jsonl", line: 2, field: "seed", found: "2", expected: "1")) {
            _ = try parse(Self.line + "\n" + replacing("\"seed\": 1", "\"seed\": 2").replacingOccurrences(of: "AB", with: "BA") + "\n")
        }
    }

    @Test(arguments: [
        ("\"ranking\": 2.0", "\"ranking\": 7", "ranking"),
        ("\"chosen_position\": 1", "\"chosen_position\": 3", "chosen_position"),
        ("\"pair\": \"AB\"", "\"pair\": \"0-1\"", "pair"),
        ("\"category\": \"Math\"", "\"category\": \"Chat\"", "category"),
        ("\"votes\": [2]", "\"votes\": [9]", "votes"),
        ("\"failures\": 0", "\"failures\": -1", "failures"),
        ("\"item\": \"p1\", ", "", "item"),
        ("\"ranking\": 2.0", "\"ranking\": \"2\"", "ranking"),
        ("\"benchmark\": \"judgebench\"", "\"benchmark\": \"mt-bench\"", "benchmark"),
        // Well-formed JSON with a mistyped value: the field and its rule, never "not valid JSON".
        ("\"votes\": [2]", "\"votes\": [3.5]", "votes[0]"),
        ("\"chosen_position\": 1", "\"chosen_position\": 1.5", "chosen_position"),
        ("\"votes\": [2]", "\"votes\": 2", "votes"),
    ])
    func badFieldsAreNamedWithTheirLine(_ change: (String, String, String)) {
        let error = #expect(throws: ResultsFileError.self) { _ = try parse(Self.line + "\n" + replacing(change.0, change.1) + "\n") }
        guard case .invalidField(_, let line, let field, _)? = error else {
            Issue.record("expected an invalid field, got \(String(describing: error))")
            return
        }
        #expect(line == 2)
        #expect(field == change.2)
        #expect(error?.description.contains("not valid JSON") == false)
    }

    @Test func brokenJSONIsNamedWithItsLine() {
        let error = #expect(throws: ResultsFileError.self) { _ = try parse(Self.line + "\n{\"benchmark\": \n") }
        #expect(error?.description.hasPrefix("r.jsonl line 2: not valid JSON") == true)
    }
}
