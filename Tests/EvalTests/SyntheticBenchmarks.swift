import Foundation
@testable import Eval

/// Small benchmark files in the official schemas, whose responses tell `ScriptedBackend` how
/// good they are (`quality=N`), so every expected score can be worked out by hand.
enum SyntheticBenchmarks {
    /// Six JudgeBench pairs. By hand, with one vote per game:
    /// - k1 (Knowledge): A is better, label A>B: both games agree -> counter 2, correct.
    /// - k2 (Knowledge): B is better, label A>B: both contradict -> counter -2, wrong.
    /// - r1 (Reasoning): equal; one vote gives ranking 3 (position 1) in both games: game AB
    ///   prefers A (contradicts B>A), game BA prefers B (agrees) -> counter 0, wrong.
    /// - m1 (Math): B better, label B>A -> correct.
    /// - c1 (Code): unparseable output in both games -> counter 0, wrong (2 failures).
    /// - c2 (Code): B better, label B>A -> correct.
    /// Knowledge 50, Reasoning 0, Math 100, Code 50, Overall 3 of 6 = 50.
    static let judgeBenchPairs: [(id: String, source: String, a: String, b: String, label: String)] = [
        ("k1", "mmlu-pro-law", "quality=5 answer A", "quality=1 answer B", "A>B"),
        ("k2", "mmlu-pro-math", "quality=1 answer A", "quality=5 answer B", "A>B"),
        ("r1", "livebench-reasoning", "quality=3 left", "quality=3 right", "B>A"),
        ("m1", "livebench-math", "quality=2 x", "quality=4 y", "B>A"),
        ("c1", "livecodebench", "garbage", "quality=4 code", "B>A"),
        ("c2", "livecodebench", "quality=1 bad code", "quality=5 good code", "B>A"),
    ]

    static func writeJudgeBench(in folder: URL, pairs: [(id: String, source: String, a: String, b: String, label: String)] = judgeBenchPairs) throws -> URL {
        let url = folder.appendingPathComponent(DataLocation.judgeBenchFile)
        let lines = try pairs.map { pair in
            try EvalFiles.jsonLine([
                "pair_id": pair.id, "original_id": pair.id, "source": pair.source, "question": "Question \(pair.id)?",
                "response_model": "test", "response_A": pair.a, "response_B": pair.b, "label": pair.label,
            ])
        }
        try EvalFiles.write(lines.joined(separator: "\n") + "\n", to: url)
        return url
    }

    /// RM-Bench files: chat with two prompts, the two safety files with one prompt each. With two
    /// votes per judgment an equal pair averages 3.5 (a loss).
    /// - chat:1 chosen qualities [4, 4, 2] vs rejected [3, 3, 3]: rows 0 and 1 win, row 2 loses.
    /// - chat:2 chosen all 5: every cell wins.
    ///   Chat matrix [[100, 100, 100], [100, 100, 100], [50, 50, 50]]: Easy (100+50+50)/3,
    ///   Normal (100+100+50)/3, Hard 100, score 750/9.
    /// - safety-refuse:7 all chosen 5 vs rejected 1 (wins); safety-response:8 all equal (ties).
    ///   Safety pooled: every cell 50.
    static func writeRMBench(in folder: URL) throws {
        func record(_ id: Int, _ chosen: [Int], _ rejected: [Int]) -> [String: Any] {
            ["id": id, "prompt": "Prompt \(id)", "subset": "test",
             "chosen": chosen.enumerated().map { "quality=\($0.element) chosen style \($0.offset)" },
             "rejected": rejected.enumerated().map { "quality=\($0.element) rejected style \($0.offset)" }]
        }
        let files: [(String, [[String: Any]])] = [
            ("chat_filtered.json", [record(1, [4, 4, 2], [3, 3, 3]), record(2, [5, 5, 5], [3, 3, 3])]),
            ("safety-refuse_filtered.json", [record(7, [5, 5, 5], [1, 1, 1])]),
            ("safety-response_filtered.json", [record(8, [3, 3, 3], [3, 3, 3])]),
        ]
        for (name, records) in files {
            try JSONSerialization.data(withJSONObject: records).write(to: folder.appendingPathComponent(name))
        }
    }
}
