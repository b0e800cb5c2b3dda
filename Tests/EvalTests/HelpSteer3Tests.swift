import Foundation
import GenRM
import Testing
@testable import Eval

/// HelpSteer3: the loader on a small file in the preference schema (plain and gzip), and
/// preference accuracy with ties excluded.
@Suite struct HelpSteer3Tests {
    /// Five records: a multi-turn conversation (system first), a tie, and one per other domain.
    /// With the scripted backend: general:0 prefers response 2 (quality 5 > 2) as labelled (+2);
    /// stem:2 prefers response 1 but the label says 2 (-1): wrong; code:3 right; multilingual:4
    /// equal qualities, one vote ranks 3 (response 1) and the label is -3: right.
    static var records: [[String: Any]] {
        [
            ["domain": "general", "language": "english", "overall_preference": 2,
             "context": [["role": "system", "content": "Be brief."], ["role": "user", "content": "Hi"],
                         ["role": "assistant", "content": "Hello!"], ["role": "user", "content": "Name a colour."]],
             "response1": "quality=2 Blue, probably.", "response2": "quality=5 Blue."],
            ["domain": "general", "language": "english", "overall_preference": 0,
             "context": [["role": "user", "content": "Tie?"]], "response1": "a", "response2": "b"],
            ["domain": "stem", "language": "english", "overall_preference": 1,
             "context": [["role": "user", "content": "2+2?"]], "response1": "quality=4 4", "response2": "quality=3 four"],
            ["domain": "code", "language": "python", "overall_preference": -2,
             "context": [["role": "user", "content": "Sort a list."]], "response1": "quality=5 sorted(x)", "response2": "quality=1 x"],
            ["domain": "multilingual", "language": "german", "overall_preference": -3,
             "context": [["role": "user", "content": "Hallo?"]], "response1": "Hallo!", "response2": "Hi!"],
        ]
    }

    static func write(_ records: [[String: Any]], to url: URL) throws {
        try EvalFiles.write(try records.map(EvalFiles.jsonLine).joined(separator: "\n") + "\n", to: url)
    }

    @Test func loaderBuildsHistoryAndSkipsTies() throws {
        let folder = try EvalFiles.temporaryFolder()
        let url = folder.appendingPathComponent("validation.jsonl")
        try Self.write(Self.records, to: url)
        let data = try BenchmarkLoader.load(.helpSteer3, from: folder.path, seed: 1)
        #expect(data.items.map(\.id) == ["general:0", "stem:2", "code:3", "multilingual:4"])
        #expect(data.items.map(\.category) == ["General", "STEM", "Code", "Multilingual"])
        #expect(data.skipped == [HelpSteer3Loader.tieReason: 1])
        #expect(data.missingCategories.isEmpty)
        let first = try #require(data.items.first?.judgments.first)
        #expect(first.pair == "12")
        #expect(first.chosenPosition == 2)
        #expect(first.request.system == "Be brief.")
        #expect(first.request.history == [HistoryTurn(.user, "Hi"), HistoryTurn(.assistant, "Hello!"), HistoryTurn(.user, "Name a colour.")])
        #expect(first.request.responses == ["quality=2 Blue, probably.", "quality=5 Blue."])
        #expect(data.items[2].judgments.first?.chosenPosition == 1)
    }

    @Test func gzippedFileLoadsTheSame() throws {
        let folder = try EvalFiles.temporaryFolder()
        let plain = folder.appendingPathComponent("plain.jsonl")
        try Self.write(Self.records, to: plain)
        let gzipped = folder.appendingPathComponent("validation.jsonl.gz")
        try gzip(plain, to: gzipped)
        let fromGzip = try HelpSteer3Loader.load(path: gzipped.path)
        let fromPlain = try HelpSteer3Loader.load(path: plain.path)
        #expect(fromGzip.items == fromPlain.items)
        // A folder with both prefers the gzip file, as Hugging Face ships it.
        try FileManager.default.copyItem(at: plain, to: folder.appendingPathComponent("validation.jsonl"))
        #expect(try DataLocation.files(for: .helpSteer3, at: folder.path) == [gzipped.path])
    }

    @Test func accuracyIsSignAgreementWithTiesExcluded() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let url = folder.appendingPathComponent("validation.jsonl")
        try Self.write(Self.records, to: url)
        let out = folder.appendingPathComponent("hs3.jsonl").path
        let judge = Judge(backend: ScriptedBackend(), promptBuilder: try JudgePromptBuilder.bundled())
        _ = try await EvalRunner(judge: judge, options: EvalRunOptions()).run(try HelpSteer3Loader.load(path: url.path), out: out)
        let report = try EvalScoring.report(try ResultsFile.read(path: out))
        #expect(report.metrics == ["General": 100, "STEM": 0, "Code": 100, "Multilingual": 100, "Overall": 75])
        #expect(report.counts == ["General": 1, "STEM": 1, "Code": 1, "Multilingual": 1, "Overall": 4])
    }

    @Test func badRecordsNameTheLineAndField() throws {
        let folder = try EvalFiles.temporaryFolder()
        let url = folder.appendingPathComponent("bad.jsonl")
        var outOfRange = Self.records[2]
        outOfRange["overall_preference"] = 4
        try Self.write([Self.records[0], outOfRange], to: url)
        #expect(throws: EvalDataError.invalidField(path: url.path, record: "line 2", field: "overall_preference", reason: "must be in -3...3, found 4")) {
            _ = try HelpSteer3Loader.load(path: url.path)
        }
        var endsWithAssistant = Self.records[2]
        endsWithAssistant["context"] = [["role": "user", "content": "q"], ["role": "assistant", "content": "a"]]
        try Self.write([endsWithAssistant], to: url)
        let error = #expect(throws: EvalDataError.self) { _ = try HelpSteer3Loader.load(path: url.path) }
        #expect(error?.description.hasPrefix("\(url.path) line 1: cannot be judged") == true)
        var unknownDomain = Self.records[2]
        unknownDomain["domain"] = "poetry"
        try Self.write([unknownDomain], to: url)
        #expect(throws: EvalDataError.unknownCategory(path: url.path, record: "line 1", field: "domain", value: "poetry")) {
            _ = try HelpSteer3Loader.load(path: url.path)
        }
        var mistyped = Self.records[2]
        mistyped["overall_preference"] = 1.5
        try Self.write([mistyped], to: url)
        #expect(throws: EvalDataError.invalidField(path: url.path, record: "line 1", field: "overall_preference", reason: "must be an integer, found 1.5")) {
            _ = try HelpSteer3Loader.load(path: url.path)
        }
    }

    /// Compresses with the system's `gzip` (an independent implementation of the format).
    func gzip(_ source: URL, to destination: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-c", "-9", source.path]
        try Data().write(to: destination)
        let output = try FileHandle(forWritingTo: destination)
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        try output.close()
        try #require(process.terminationStatus == 0, "gzip failed")
    }
}
