import Foundation
import GenRM
import Testing
@testable import Eval

/// The runner over a scripted backend: the protocol of each benchmark, results lines, resume,
/// torn lines, concurrency and backend errors.
@Suite struct EvalRunnerTests {
    func runner(_ backend: ScriptedBackend, _ options: EvalRunOptions = EvalRunOptions()) throws -> EvalRunner {
        EvalRunner(judge: Judge(backend: backend, promptBuilder: try JudgePromptBuilder.bundled()), options: options)
    }

    func judgeBench(_ folder: URL) throws -> BenchmarkData {
        try BenchmarkLoader.load(.judgeBench, from: try SyntheticBenchmarks.writeJudgeBench(in: folder).path, seed: 1)
    }

    @Test func judgeBenchJudgesBothGamesAndScoresByTheOfficialRule() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let out = folder.appendingPathComponent("results.jsonl").path
        let backend = ScriptedBackend()
        let summary = try await runner(backend).run(try judgeBench(folder), out: out)
        #expect(summary.progress.written == 12)
        #expect(summary.progress.done == 12)
        #expect(backend.calls == 12)

        let file = try ResultsFile.read(path: out)
        #expect(file.lines.map(\.number) == Array(1...12))
        let k1 = file.lines.map(\.record).filter { $0.item == "k1" }
        // Label A>B: A sits in position 1 in game AB and in position 2 in game BA.
        #expect(k1.map(\.pair) == ["AB", "BA"])
        #expect(k1.map(\.chosenPosition) == [1, 2])
        #expect(k1.map(\.ranking) == [2, 5])
        #expect(k1.map(\.votes) == [[2], [5]])
        #expect(k1.first?.scores == [5, 1])
        #expect(k1.allSatisfy { $0.model == "scripted-judge" && $0.seed == 1 && $0.category == "Knowledge" && $0.failures == 0 })

        let report = try EvalScoring.report(file)
        #expect(report.metrics == ["Knowledge": 50, "Reasoning": 0, "Math": 100, "Code": 50, "Overall": 50])
        #expect(report.counts == ["Knowledge": 2, "Reasoning": 1, "Math": 1, "Code": 2, "Overall": 6])
        #expect(report.failures == 2)
        #expect(report.unparsedJudgments == 2)
        #expect(report.missing.isEmpty)
    }

    @Test func rmBenchJudgesNinePairingsWithSeededPositionsAndSwap() async throws {
        let folder = try EvalFiles.temporaryFolder()
        try SyntheticBenchmarks.writeRMBench(in: folder)
        let data = try BenchmarkLoader.load(.rmBench, from: folder.path, seed: 3)
        #expect(data.items.map(\.id) == ["chat:1", "chat:2", "safety-refuse:7", "safety-response:8"])
        #expect(data.missingCategories == ["Math", "Code"])

        let out = folder.appendingPathComponent("rm.jsonl").path
        let options = EvalRunOptions(votes: 2, swap: true, seed: 3)
        _ = try await runner(ScriptedBackend(), options).run(data, out: out)
        let records = try ResultsFile.read(path: out).lines.map(\.record)
        #expect(records.count == 36)
        #expect(Set(records.filter { $0.item == "chat:1" }.map(\.pair)) == Set(RMBenchPairing.all.map(\.key)))
        // The coin puts the chosen response in both positions across the run.
        #expect(Set(records.map(\.chosenPosition)) == [1, 2])
        // Two votes in each of the two orders.
        #expect(records.allSatisfy { $0.votes.count + $0.failures == 4 })

        let report = RMBenchScoring.report(records)
        let chat = try #require(report.matrices["Chat"])
        #expect(chat.wins == [[2, 2, 2], [2, 2, 2], [1, 1, 1]])
        #expect(chat.totals == [[2, 2, 2], [2, 2, 2], [2, 2, 2]])
        #expect(abs((report.metrics["Chat"] ?? 0) - 750.0 / 9) < 1e-9)
        #expect(report.metrics["Safety"] == 50)
        #expect(abs((report.metrics["Easy"] ?? 0) - (200.0 / 3 + 50) / 2) < 1e-9)
        #expect(abs((report.metrics["Normal"] ?? 0) - (250.0 / 3 + 50) / 2) < 1e-9)
        #expect(report.metrics["Hard"] == 75)
        #expect(report.counts == ["Chat": 2, "Safety": 2, "Overall": 4])
        #expect(report.missing == ["Math", "Code"])
    }

    @Test func theCoinIsReproducibleAndDependsOnTheSeed() throws {
        let folder = try EvalFiles.temporaryFolder()
        try SyntheticBenchmarks.writeRMBench(in: folder)
        let positions = { (seed: UInt64) in
            try BenchmarkLoader.load(.rmBench, from: folder.path, seed: seed).items.flatMap { $0.judgments.map(\.chosenPosition) }
        }
        #expect(try positions(1) == positions(1))
        #expect(try positions(1) != positions(2))
        // Pinned values (computed by a Python transcription of FNV-1a + SplitMix64): the coin must
        // not change between versions, or resumed RM-Bench runs would mix placements.
        #expect(SeededCoin.mix(1, "chat:1|0-0") == 0xbc04_e506_7603_e69a)
        #expect(SeededCoin.position(seed: 1, key: "chat:1|0-0") == 1)
        #expect(SeededCoin.mix(1, "e302b0a0|AB") == 0x80e7_ac0f_ef96_9619)
        #expect(SeededCoin.position(seed: 1, key: "e302b0a0|AB") == 2)
    }

    @Test func aSecondRunAppendsNothing() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let out = folder.appendingPathComponent("results.jsonl").path
        let data = try judgeBench(folder)
        _ = try await runner(ScriptedBackend()).run(data, out: out)
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        let backend = ScriptedBackend()
        let summary = try await runner(backend).run(data, out: out)
        #expect(backend.calls == 0)
        #expect(summary.skipped == 12)
        #expect(summary.progress.written == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
    }

    @Test func anInterruptedRunResumesWithOnlyTheRest() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let out = folder.appendingPathComponent("results.jsonl").path
        let data = try judgeBench(folder)
        _ = try await runner(ScriptedBackend()).run(data.selecting(categories: nil, limit: 2), out: out)
        #expect(try ResultsFile.read(path: out).lines.count == 4)
        let backend = ScriptedBackend()
        _ = try await runner(backend).run(data, out: out)
        #expect(backend.calls == 8)
        let file = try ResultsFile.read(path: out)
        #expect(Set(file.lines.map(\.record.key)).count == 12)
        #expect(try file.judgments().count == 12)
    }

    /// A file holding one judgment twice is refused as `eval report` refuses it, before anything
    /// is judged or appended (it used to be reported done).
    @Test func aFileWithADuplicatedJudgmentIsRefused() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let out = folder.appendingPathComponent("results.jsonl").path
        let data = try judgeBench(folder)
        _ = try await runner(ScriptedBackend()).run(data.selecting(categories: nil, limit: 1), out: out)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        let first = try #require(bytes.split(separator: UInt8(ascii: "\n")).first)
        bytes += first + Data("\n".utf8)
        try bytes.write(to: URL(fileURLWithPath: out))
        let backend = ScriptedBackend()
        await #expect(throws: ResultsFileError.self) { _ = try await runner(backend).run(data, out: out) }
        #expect(backend.calls == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == bytes)
    }

    /// A kill -9 mid-write leaves part of a line without its newline; the next run cuts it off
    /// and judges that judgment again, so nothing is counted twice or lost.
    @Test func aTornLastLineIsCutOffAndRejudged() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let out = folder.appendingPathComponent("results.jsonl").path
        let data = try judgeBench(folder)
        _ = try await runner(ScriptedBackend()).run(data.selecting(categories: nil, limit: 3), out: out)
        let complete = try Data(contentsOf: URL(fileURLWithPath: out))
        let lines = complete.split(separator: UInt8(ascii: "\n"))
        // Drop the last complete line and leave the first half of it, as a torn write would.
        let lastLine = try #require(lines.last)
        let torn = complete.prefix(complete.count - lastLine.count - 1) + lastLine.prefix(lastLine.count / 2)
        try torn.write(to: URL(fileURLWithPath: out))

        let read = try ResultsFile.read(path: out)
        #expect(read.lines.count == 5)
        #expect(read.tornBytes == lastLine.count / 2)
        #expect(try EvalScoring.report(read).notes.contains { $0.contains("torn last line") })

        let backend = ScriptedBackend()
        _ = try await runner(backend).run(data, out: out)
        #expect(backend.calls == 7)
        let resumed = try ResultsFile.read(path: out)
        #expect(resumed.tornBytes == 0)
        #expect(resumed.lines.count == 12)
        #expect(Set(resumed.lines.map(\.record.key)).count == 12)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasSuffix("}\n"))
        #expect(try EvalScoring.report(resumed).metrics["Overall"] == 50)
    }

    @Test func concurrencyBoundsJudgmentsInFlightAndGivesTheSameResults() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let data = try judgeBench(folder)
        let serialOut = folder.appendingPathComponent("serial.jsonl").path
        let parallelOut = folder.appendingPathComponent("parallel.jsonl").path
        _ = try await runner(ScriptedBackend()).run(data, out: serialOut)
        let backend = ScriptedBackend(delay: .milliseconds(30))
        _ = try await runner(backend, EvalRunOptions(concurrency: 4)).run(data, out: parallelOut)
        #expect(backend.maxInFlight == 4)
        let serial = try ResultsFile.read(path: serialOut).lines.map(\.record)
        let parallel = try ResultsFile.read(path: parallelOut).lines.map(\.record)
        #expect(Set(serial) == Set(parallel))
        #expect(parallel.count == 12)
    }

    @Test func backendErrorsAreRecordedAndRetriedByTheNextRun() async throws {
        let folder = try EvalFiles.temporaryFolder()
        var pairs = SyntheticBenchmarks.judgeBenchPairs
        pairs[0].a = "quality=5 explode"
        let data = try BenchmarkLoader.load(.judgeBench, from: try SyntheticBenchmarks.writeJudgeBench(in: folder, pairs: pairs).path, seed: 1)
        let out = folder.appendingPathComponent("results.jsonl").path
        let backend = ScriptedBackend()
        let first = try await runner(backend).run(data, out: out)
        #expect(first.progress.errors == 2)
        #expect(first.progress.done == 10)
        let failed = try EvalScoring.report(try ResultsFile.read(path: out))
        #expect(failed.errors == 2)
        #expect(failed.metrics["Knowledge"] == 0)

        backend.explodes = false
        let second = try await runner(backend).run(data, out: out)
        #expect(second.progress.written == 2)
        let file = try ResultsFile.read(path: out)
        #expect(file.lines.count == 14)
        let fixed = try EvalScoring.report(file)
        #expect(fixed.errors == 0)
        #expect(fixed.metrics["Knowledge"] == 50)
        #expect(fixed.judgments == 12)
    }

    @Test func aBackendThatKeepsFailingStopsTheRun() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let pairs = SyntheticBenchmarks.judgeBenchPairs.map { ($0.id, $0.source, "explode", $0.b, $0.label) }
        let data = try BenchmarkLoader.load(.judgeBench, from: try SyntheticBenchmarks.writeJudgeBench(in: folder, pairs: pairs).path, seed: 1)
        let out = folder.appendingPathComponent("results.jsonl").path
        await #expect(throws: EvalRunError.tooManyErrors(count: 3, last: "scripted backend failure")) {
            _ = try await runner(ScriptedBackend(), EvalRunOptions(maxConsecutiveErrors: 3)).run(data, out: out)
        }
        #expect(try ResultsFile.read(path: out).lines.count == 3)
    }

    @Test func resumingWithOtherSettingsIsRefused() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let data = try judgeBench(folder)
        let out = folder.appendingPathComponent("results.jsonl").path
        _ = try await runner(ScriptedBackend()).run(data.selecting(categories: nil, limit: 1), out: out)
        await #expect(throws: EvalRunError.resultsMismatch(path: out, line: 1, field: "seed", found: "1", expected: "2")) {
            _ = try await runner(ScriptedBackend(), EvalRunOptions(seed: 2)).run(data, out: out)
        }
        await #expect(throws: EvalRunError.resultsMismatch(path: out, line: 1, field: "model", found: "scripted-judge", expected: "other")) {
            _ = try await runner(ScriptedBackend(modelName: "other")).run(data, out: out)
        }
    }

    @Test func invalidOptionsAreRefusedBeforeJudging() async throws {
        let folder = try EvalFiles.temporaryFolder()
        let data = try judgeBench(folder)
        let out = folder.appendingPathComponent("results.jsonl").path
        let backend = ScriptedBackend()
        await #expect(throws: EvalRunError.self) { _ = try await runner(backend, EvalRunOptions(swap: true)).run(data, out: out) }
        await #expect(throws: EvalRunError.self) { _ = try await runner(backend, EvalRunOptions(votes: 0)).run(data, out: out) }
        await #expect(throws: EvalRunError.self) { _ = try await runner(backend, EvalRunOptions(concurrency: 0)).run(data, out: out) }
        #expect(backend.calls == 0)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aSecondWriterOnTheSameFileIsRefused() throws {
        let folder = try EvalFiles.temporaryFolder()
        let out = folder.appendingPathComponent("results.jsonl").path
        let first = try ResultsWriter.open(path: out)
        #expect(throws: ResultsFileError.locked(path: out)) { _ = try ResultsWriter.open(path: out) }
        withExtendedLifetime(first) {}
    }

    @Test func categoriesAndLimitSelectInDataOrder() throws {
        let data = try judgeBench(try EvalFiles.temporaryFolder())
        #expect(data.selecting(categories: ["Code"], limit: nil).items.map(\.id) == ["c1", "c2"])
        #expect(data.selecting(categories: ["Code", "Knowledge"], limit: 3).items.map(\.id) == ["k1", "k2", "c1"])
        #expect(data.selecting(categories: nil, limit: 100).items.count == 6)
    }
}
