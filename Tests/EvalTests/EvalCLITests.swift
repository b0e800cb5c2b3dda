import Foundation
import Testing
@testable import Eval

/// `genrm eval run` and `genrm eval report` as a user runs them: the built binary as a
/// subprocess, on the real embedded default model with small budgets.
@Suite(.serialized) struct EvalCLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `genrm` executable, built next to the test bundle in the scratch path's build folder.
    static func binary() throws -> URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("genrm") }
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(found, "genrm binary not found in \(candidates.map(\.path)); build the genrm product first")
    }

    func genrm(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = arguments
        process.currentDirectoryURL = EvalFiles.repositoryRoot
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The first JudgeBench Code pair (both games, about 3,800 prompt tokens: the embedded
    /// engine prefills roughly 100 tokens/s on one core today, so two pairs would take over a
    /// minute) on SmolLM2 from the default data root, then the report; a rerun judges nothing.
    @Test func runAndReportJudgeBenchOnTheEmbeddedDefault() throws {
        let out = try EvalFiles.temporaryFolder().appendingPathComponent("judgebench.jsonl").path
        let arguments = ["eval", "run", "--benchmark", "judgebench", "--categories", "code", "--limit", "1",
                         "--reasoning-tokens", "4", "--analysis-tokens", "4", "--out", out]
        let run = try genrm(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("\(out): wrote 2 judgment(s), skipped 0 already there; 2 of 2 done."))
        #expect(run.stderr.contains("JudgeBench: 1 of 350 items selected, 2 judgments"))
        #expect(run.stderr.contains("2/2"))

        let lines = try ResultsFile.read(path: out).lines.map(\.record)
        #expect(lines.map(\.pair) == ["AB", "BA"])
        #expect(lines.allSatisfy { $0.benchmark == .judgeBench && $0.category == "Code" && $0.seed == 1 && $0.error == nil })
        #expect(lines.allSatisfy { $0.votes.count + $0.failures == 1 })
        #expect(lines.allSatisfy { $0.expectedRanking != nil })

        let report = try genrm(["eval", "report", out, "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        let object = try json(report.stdout)
        #expect(object["benchmark"] as? String == "judgebench")
        #expect((object["counts"] as? [String: Int])?["Overall"] == 1)
        #expect(Set((object["metrics"] as? [String: Double])?.keys.map { $0 } ?? []) == ["Code", "Overall"])
        #expect(object["missing"] as? [String] == ["Knowledge", "Reasoning", "Math"])
        #expect(object["judgments"] as? Int == 2)

        let text = try genrm(["eval", "report", out])
        #expect(text.status == 0)
        #expect(text.stdout.contains("this run: "))
        #expect(text.stdout.contains("Items (pairs): Knowledge 0, Reasoning 0, Math 0, Code 1, Overall 1"))

        let again = try genrm(arguments + ["--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("\(out): wrote 0 judgment(s), skipped 2 already there"))
        #expect(again.stderr.isEmpty)
        #expect(try ResultsFile.read(path: out).lines.count == 2)
    }

    /// RM-Bench end to end: the shortest real Chat prompt (id 622, copied from the shared data
    /// into a one-record data folder so the run stays short), all 9 style pairings judged, then the
    /// official report with the other domains named missing.
    @Test func runRMBenchOnOneRealChatPromptOnTheEmbeddedDefault() throws {
        let source = URL(fileURLWithPath: EvalFiles.sharedData).appendingPathComponent("rm-bench/chat_filtered.json")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [[String: Any]])
        let shortest = try #require(records.first { $0["id"] as? Int == 622 })
        let folder = try EvalFiles.temporaryFolder()
        try JSONSerialization.data(withJSONObject: [shortest]).write(to: folder.appendingPathComponent("chat_filtered.json"))
        let out = folder.appendingPathComponent("rm-bench.jsonl").path
        let run = try genrm(["eval", "run", "--benchmark", "rm-bench", "--data", folder.path, "--reasoning-tokens", "4",
                             "--analysis-tokens", "4", "--quiet", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("\(out): wrote 9 judgment(s), skipped 0 already there; 9 of 9 done."), "\(run.stdout)")

        let lines = try ResultsFile.read(path: out).lines.map(\.record)
        #expect(Set(lines.map(\.pair)) == Set((0..<3).flatMap { i in (0..<3).map { j in "\(i)-\(j)" } }))
        #expect(lines.allSatisfy { $0.benchmark == .rmBench && $0.category == "Chat" && $0.item == "chat:622" })
        #expect(Set(lines.map(\.chosenPosition)).isSubset(of: [1, 2]))

        let report = try json(try genrm(["eval", "report", out, "--format", "json"]).stdout)
        #expect(report["benchmark"] as? String == "rm-bench")
        #expect(report["missing"] as? [String] == ["Math", "Code", "Safety"])
        let metrics = try #require(report["metrics"] as? [String: Double])
        #expect(Set(metrics.keys).isSuperset(of: ["Chat", "Easy", "Normal", "Hard", "Overall"]))
        #expect(metrics.values.allSatisfy { (0...100).contains($0) })
    }

    /// One HelpSteer3 record in the preference schema (gzip-free), judged end to end.
    @Test func runHelpSteer3FromAFileOnTheEmbeddedDefault() throws {
        let folder = try EvalFiles.temporaryFolder()
        let data = folder.appendingPathComponent("validation.jsonl")
        try HelpSteer3Tests.write(Array(HelpSteer3Tests.records.prefix(2)), to: data)
        let out = folder.appendingPathComponent("hs3.jsonl").path
        let run = try genrm(["eval", "run", "--benchmark", "helpsteer3", "--data", data.path, "--reasoning-tokens", "4",
                             "--analysis-tokens", "4", "--quiet", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try json(try genrm(["eval", "report", out, "--format", "json"]).stdout)
        #expect(report["benchmark"] as? String == "helpsteer3")
        #expect((report["counts"] as? [String: Int])?["Overall"] == 1)
    }

    @Test func reportOfTheSkyworkReferenceRunPrintsThePublishedFigures() throws {
        let run = try genrm(["eval", "report", try EvalFiles.fixture("judgebench-skywork-reference-results.jsonl").path, "--format", "json"])
        #expect(run.status == 0)
        let metrics = try #require(try json(run.stdout)["metrics"] as? [String: Double])
        #expect(metrics == ["Knowledge": 59.09, "Reasoning": 64.29, "Math": 76.79, "Code": 50.0, "Overall": 62.29])
    }

    @Test func usageErrorsExitWith64() throws {
        for arguments in [
            ["eval", "run", "--benchmark", "judgebench", "--swap", "--out", "x.jsonl"],
            ["eval", "run", "--benchmark", "judgebench", "--categories", "Poetry", "--out", "x.jsonl"],
            ["eval", "run", "--benchmark", "rm-bench", "--limit", "0", "--out", "x.jsonl"],
            ["eval", "run", "--benchmark", "mt-bench", "--out", "x.jsonl"],
            ["eval", "run", "--benchmark", "judgebench"],
            ["eval", "report", "x.jsonl", "--format", "pdf"],
        ] {
            let run = try genrm(arguments)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments)")
        }
    }

    @Test func inputErrorsAreOneLineAndStatusOne() throws {
        let folder = try EvalFiles.temporaryFolder()
        let bad = folder.appendingPathComponent("bad.jsonl")
        try EvalFiles.write(#"{"benchmark": "judgebench", "item": "p", "category": "Math", "pair": "XY", "chosen_position": 1}"# + "\n", to: bad)
        let cases: [([String], String)] = [
            (["eval", "run", "--benchmark", "judgebench", "--data", "/no/such/data", "--out", folder.appendingPathComponent("o.jsonl").path],
             "no JudgeBench data found; looked for: /no/such/data"),
            (["eval", "report", "/no/such/results.jsonl"], "/no/such/results.jsonl: cannot be read: no such file"),
            (["eval", "report", bad.path], "\(bad.path) line 1: field \"pair\" \"XY\" is not a JudgeBench pair"),
        ]
        for (arguments, message) in cases {
            let run = try genrm(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stdout.isEmpty)
            #expect(run.stderr == "genrm: error: \(message)\n")
        }
    }
}
