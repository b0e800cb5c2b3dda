import Foundation
import Testing
@testable import Eval

/// The loaders on the real benchmark files in ../shared/data (read in place, never copied).
@Suite struct SharedDataLoaderTests {
    @Test func judgeBenchHas350PairsInTheCardsCategories() throws {
        let data = try BenchmarkLoader.load(.judgeBench, from: EvalFiles.sharedData, seed: 1)
        #expect(data.items.count == 350)
        let counts = Dictionary(grouping: data.items, by: \.category).mapValues(\.count)
        #expect(counts == ["Knowledge": 154, "Reasoning": 98, "Math": 56, "Code": 42])
        #expect(data.missingCategories.isEmpty)
        let first = try #require(data.items.first)
        #expect(first.id == "e302b0a0-28d5-5a3c-b1af-fedcf5543e72")
        #expect(first.judgments.map(\.pair) == ["AB", "BA"])
        // Game BA shows the same responses in the other order.
        #expect(first.judgments[0].request.responses == first.judgments[1].request.responses.reversed())
        #expect(first.judgments[0].chosenPosition + first.judgments[1].chosenPosition == 3)
    }

    @Test func rmBenchLoadsThePresentDomainsAndNamesTheMissingOne() throws {
        let data = try BenchmarkLoader.load(.rmBench, from: EvalFiles.sharedData, seed: 1)
        let counts = Dictionary(grouping: data.items, by: \.category).mapValues(\.count)
        #expect(counts == ["Chat": 129, "Code": 228, "Safety": 284 + 157])
        #expect(data.missingCategories == ["Math"])
        #expect(data.items.allSatisfy { $0.judgments.count == 9 })
        #expect(Set(data.items.map(\.id)).count == data.items.count)
        #expect(data.items.first?.id == "chat:8")
        // The seeded coin is roughly fair over the 7,182 judgments.
        let firsts = data.items.flatMap(\.judgments).filter { $0.chosenPosition == 1 }.count
        #expect(abs(Double(firsts) / Double(data.items.count * 9) - 0.5) < 0.03)
    }

    @Test func rmBenchLoadsOneDomainFile() throws {
        let path = EvalFiles.sharedData + "/rm-bench/chat_filtered.json"
        let data = try BenchmarkLoader.load(.rmBench, from: path, seed: 1)
        #expect(data.items.count == 129)
        #expect(data.missingCategories == ["Math", "Code", "Safety"])
    }

    @Test func missingDataSaysWhereItLooked() {
        let error = #expect(throws: EvalDataError.self) { _ = try BenchmarkLoader.load(.helpSteer3, from: EvalFiles.sharedData, seed: 1) }
        #expect(error?.description.hasPrefix("no HelpSteer3 data found; looked for: ") == true)
        #expect(error?.description.contains("helpsteer3/validation.jsonl.gz") == true)
        #expect(throws: EvalDataError.notFound(benchmark: "JudgeBench", looked: ["/no/such/folder"])) {
            _ = try BenchmarkLoader.load(.judgeBench, from: "/no/such/folder", seed: 1)
        }
    }

    @Test func theDataRootDefaultsToSharedDataAndHonoursTheEnvironment() {
        #expect(DataLocation.root(explicit: nil, environment: [:]) == "../shared/data")
        #expect(DataLocation.root(explicit: nil, environment: ["GENRM_DATA": "/data"]) == "/data")
        #expect(DataLocation.root(explicit: "/x", environment: ["GENRM_DATA": "/data"]) == "/x")
    }

    @Test func malformedRecordsNameTheRecordAndField() throws {
        let folder = try EvalFiles.temporaryFolder()
        let file = folder.appendingPathComponent("chat_filtered.json")
        try EvalFiles.write(#"[{"id": 1, "prompt": "p", "chosen": ["a", "b", "c"], "rejected": ["a", "b"]}]"#, to: file)
        #expect(throws: EvalDataError.invalidField(path: file.path, record: "record 0", field: "rejected", reason: "must hold 3 strings, found 2")) {
            _ = try RMBenchLoader.load(paths: [file.path], seed: 1)
        }
        try EvalFiles.write(#"[{"id": true, "prompt": "p", "chosen": ["a", "b", "c"], "rejected": ["a", "b", "c"]}]"#, to: file)
        #expect(throws: EvalDataError.invalidField(path: file.path, record: "record 0", field: "id", reason: "must be an integer, found a boolean")) {
            _ = try RMBenchLoader.load(paths: [file.path], seed: 1)
        }
        try EvalFiles.write(#"[{"id": 1, "prompt": "p", "chosen": ["a", "b", "c"], "rejected": ["a", "b", "c"]}, {"id": 1, "prompt": "q", "chosen": ["a", "b", "c"], "rejected": ["a", "b", "c"]}]"#, to: file)
        #expect(throws: EvalDataError.duplicateItem(path: file.path, record: "record 1", item: "chat:1")) {
            _ = try RMBenchLoader.load(paths: [file.path], seed: 1)
        }
        let judgeBench = folder.appendingPathComponent("jb.jsonl")
        try EvalFiles.write(#"{"pair_id": "x", "source": "livebench-math", "question": "q", "response_A": "a", "response_B": "b", "label": "A=B"}"# + "\n", to: judgeBench)
        #expect(throws: EvalDataError.invalidField(path: judgeBench.path, record: "line 1", field: "label", reason: "must be \"A>B\" or \"B>A\", found \"A=B\"")) {
            _ = try JudgeBenchLoader.load(path: judgeBench.path)
        }
        try EvalFiles.write(#"{"pair_id": "x", "source": "arena", "question": "q", "response_A": "a", "response_B": "b", "label": "A>B"}"# + "\n", to: judgeBench)
        #expect(throws: EvalDataError.unknownCategory(path: judgeBench.path, record: "line 1", field: "source", value: "arena")) {
            _ = try JudgeBenchLoader.load(path: judgeBench.path)
        }
    }
}
