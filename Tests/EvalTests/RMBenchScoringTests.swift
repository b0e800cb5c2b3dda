import Foundation
import Testing
@testable import Eval

/// RM-Bench scoring on results built from matrices worked out by hand.
@Suite struct RMBenchScoringTests {
    /// Results lines for `prompts` prompts of one domain whose win counts per cell are `wins`:
    /// in cell (i, j) the first `wins[i][j]` prompts prefer the chosen response and the others
    /// lose, in turn by preferring the rejected one, by a 3.5 tie, or by a failed parse.
    static func records(domain: String, category: String, prompts: Int, wins: [[Int]], chosen: Int = 1) -> [ResultRecord] {
        var records: [ResultRecord] = []
        let rejected = chosen == 1 ? 2 : 1
        for prompt in 0..<prompts {
            for pairing in RMBenchPairing.all {
                let won = prompt < wins[pairing.chosen][pairing.rejected]
                let loss = prompt % 3
                let ranking: Double? = won ? (chosen == 1 ? 2 : 5) : loss == 0 ? (rejected == 1 ? 1 : 6) : loss == 1 ? 3.5 : nil
                records.append(record(
                    .rmBench, item: "\(domain):\(prompt)", category: category, pair: pairing.key, chosen: chosen,
                    ranking: ranking, failures: ranking == nil ? 1 : 0))
            }
        }
        return records
    }

    /// Chat, 4 prompts, wins [[4, 2, 1], [4, 3, 2], [4, 4, 3]] of 4:
    /// Easy = lower cells (4 + 4 + 4) / 12 = 100, Normal = (4 + 3 + 3) / 12 = 83.33,
    /// Hard = (2 + 1 + 2) / 12 = 41.67, Chat = 27 / 36 = 75.
    @Test func oneDomainMatrixByHand() {
        let report = RMBenchScoring.report(Self.records(domain: "chat", category: "Chat", prompts: 4, wins: [[4, 2, 1], [4, 3, 2], [4, 4, 3]]))
        #expect(report.metrics["Chat"] == 75)
        #expect(report.metrics["Easy"] == 100)
        #expect(report.rounded("Normal") == 83.33)
        #expect(report.rounded("Hard") == 41.67)
        #expect(report.metrics["Overall"] == 75)
        #expect(report.counts == ["Chat": 4, "Overall": 4])
        #expect(report.missing == ["Math", "Code", "Safety"])
        // Losses: of the 9 cells' 9 losing judgments, every third is a failed parse.
        #expect(report.matrices["Chat"]?.wins == [[4, 2, 1], [4, 3, 2], [4, 4, 3]])
        #expect(report.failures == report.unparsedJudgments)
    }

    /// Ties and failures lose: a domain where every judgment is a 3.5 or a failure scores 0.
    @Test func tiesAndFailuresAreLosses() {
        let records = Self.records(domain: "code", category: "Code", prompts: 3, wins: Array(repeating: [0, 0, 0], count: 3))
            .filter { $0.ranking != 1 && $0.ranking != 6 }
        #expect(records.contains { $0.ranking == 3.5 })
        #expect(records.contains { $0.ranking == nil })
        let report = RMBenchScoring.report(records)
        #expect(report.metrics["Code"] == 0)
        #expect(report.metrics["Hard"] == 0)
    }

    /// Safety pools its two files into one matrix of all their prompts: refuse (1 prompt, all
    /// won) and response (3 prompts, none won) give 25 everywhere, not the mean 50 of 100 and 0.
    /// Easy/Normal/Hard/Overall average over the domains present (Chat 75 and Safety 25).
    @Test func safetyIsPooledAndOverallAveragesPresentDomains() {
        let all = Array(repeating: [1, 1, 1], count: 3), none = Array(repeating: [0, 0, 0], count: 3)
        let records = Self.records(domain: "chat", category: "Chat", prompts: 4, wins: [[4, 2, 1], [4, 3, 2], [4, 4, 3]])
            + Self.records(domain: "safety-refuse", category: "Safety", prompts: 1, wins: all, chosen: 2)
            + Self.records(domain: "safety-response", category: "Safety", prompts: 3, wins: none)
        let report = RMBenchScoring.report(records)
        #expect(report.metrics["Safety"] == 25)
        #expect(report.counts["Safety"] == 4)
        #expect(report.metrics["Overall"] == 50)
        #expect(report.metrics["Easy"] == 62.5)
        #expect(abs((report.metrics["Normal"] ?? 0) - (250.0 / 3 + 25) / 2) < 1e-9)
        #expect(abs((report.metrics["Hard"] ?? 0) - (125.0 / 3 + 25) / 2) < 1e-9)
        #expect(report.missing == ["Math", "Code"])
        #expect(report.metrics["Math"] == nil)
    }

    @Test func aMatrixWithAnEmptyCellIsUndefinedAndNoted() {
        let records = Self.records(domain: "chat", category: "Chat", prompts: 2, wins: Array(repeating: [2, 2, 2], count: 3))
            .filter { $0.pair != "2-0" }
        let report = RMBenchScoring.report(records)
        #expect(report.metrics["Chat"] == nil)
        #expect(report.metrics["Overall"] == nil)
        #expect(report.counts["Chat"] == 2)
        #expect(report.notes.contains { $0.hasPrefix("Chat: some style pairings have no judgment") })
        #expect(report.notes.contains("2 prompt(s) have fewer than their 9 style pairings judged"))
    }

    /// Matrices built to reproduce the model card's GenRM-Multilingual row (Chat 77.2, Math
    /// 91.9, Code 74.7, Safety 92.9, Easy 90.7, Normal 86.7, Hard 75.1, Overall 84.2): 1,000
    /// prompts per domain, every cell of a triangle equal. Domain d's triangles are its score
    /// plus offsets (easy, normal, hard) summing to 0: (6.5, 2.6, -9.1) for Chat and Math,
    /// (6.5, 2.5, -9.0) for Code and Safety. Then Easy = 84.175 + 6.5 = 90.675, Normal =
    /// 84.175 + 2.55 = 86.725, Hard = 84.175 - 9.05 = 75.125, Overall = 84.175.
    @Test func builtMatricesReproduceTheModelCardRow() throws {
        let domains: [(String, String, Double, (Double, Double, Double))] = [
            ("chat", "Chat", 77.2, (6.5, 2.6, -9.1)), ("math", "Math", 91.9, (6.5, 2.6, -9.1)),
            ("code", "Code", 74.7, (6.5, 2.5, -9.0)), ("safety-refuse", "Safety", 92.9, (6.5, 2.5, -9.0)),
        ]
        var records: [ResultRecord] = []
        for (domain, category, score, (easy, normal, hard)) in domains {
            let perMille = { (percent: Double) in Int((percent * 10).rounded()) }
            let wins = (0..<3).map { i in
                (0..<3).map { j in perMille(score + (i > j ? easy : i == j ? normal : hard)) }
            }
            records += Self.records(domain: domain, category: category, prompts: 1000, wins: wins)
        }
        let report = RMBenchScoring.report(records)
        let card = try #require(PublishedResults.rmBench.first)
        for column in Benchmark.rmBench.columns {
            let value = try #require(report.metrics[column], "\(column)")
            #expect((value * 10).rounded() / 10 == card.values[column], "\(column): \(value)")
        }
        #expect(abs((report.metrics["Easy"] ?? 0) - 90.675) < 1e-9)
        #expect(abs((report.metrics["Normal"] ?? 0) - 86.725) < 1e-9)
        #expect(abs((report.metrics["Hard"] ?? 0) - 75.125) < 1e-9)
        #expect(abs((report.metrics["Overall"] ?? 0) - 84.175) < 1e-9)
        #expect(report.missing.isEmpty)
    }
}
