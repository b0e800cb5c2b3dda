import Foundation
import Testing
@testable import Eval

/// JudgeBench scoring against published figures: JudgeBench's own run of
/// Skywork-Reward-Llama-3.1-8B, converted to results lines by
/// scripts/judgebench_reference_to_results.py, scores as JudgeBench reports it.
@Suite struct JudgeBenchScoringTests {
    @Test func skyworkReferenceRunReproducesThePublishedFigures() throws {
        let path = try EvalFiles.fixture("judgebench-skywork-reference-results.jsonl").path
        let report = try EvalScoring.report(try ResultsFile.read(path: path))
        #expect(report.benchmark == .judgeBench)
        #expect(report.rounded("Knowledge") == 59.09)
        #expect(report.rounded("Reasoning") == 64.29)
        #expect(report.rounded("Math") == 76.79)
        #expect(report.rounded("Code") == 50.00)
        #expect(report.rounded("Overall") == 62.29)
        #expect(report.counts == ["Knowledge": 154, "Reasoning": 98, "Math": 56, "Code": 42, "Overall": 350])
        #expect(report.judgments == 700)
        #expect(report.failures == 0)
        #expect(report.missing.isEmpty)
        #expect(report.models == ["Skywork/Skywork-Reward-Llama-3.1-8B"])
        // The card's Skywork row, at its one decimal.
        let card = try #require(PublishedResults.judgeBench.last)
        for column in Benchmark.judgeBench.columns {
            #expect((report.metrics[column].map { ($0 * 10).rounded() / 10 }) == card.values[column], "\(column)")
        }
    }

    @Test func theCounterRuleCountsAgreementMinusContradiction() {
        // chosen position 1: ranking 2 agrees, 5 contradicts, 3.5 and nil decide nothing.
        let agree = record(.judgeBench, item: "p", category: "Math", pair: "AB", chosen: 1, ranking: 2)
        let contradict = record(.judgeBench, item: "p", category: "Math", pair: "BA", chosen: 1, ranking: 5)
        let tie = record(.judgeBench, item: "p", category: "Math", pair: "BA", chosen: 1, ranking: 3.5)
        let failed = record(.judgeBench, item: "p", category: "Math", pair: "BA", chosen: 1, ranking: nil, failures: 1)
        #expect(JudgeBenchScoring.counter([agree, contradict]) == 0)
        #expect(JudgeBenchScoring.counter([agree, tie]) == 1)
        #expect(JudgeBenchScoring.counter([agree, failed]) == 1)
        #expect(JudgeBenchScoring.counter([tie, failed]) == 0)
        #expect(JudgeBenchScoring.counter([contradict, failed]) == -1)
    }

    /// Overall pools pairs: 1 of 1 in Math and 0 of 3 in Code is 25, not the mean 50.
    @Test func overallIsPooledOverPairsNotAveragedOverCategories() {
        let records = [
            record(.judgeBench, item: "m", category: "Math", pair: "AB", chosen: 1, ranking: 1),
            record(.judgeBench, item: "m", category: "Math", pair: "BA", chosen: 2, ranking: 6),
        ] + (1...3).flatMap { index in
            [record(.judgeBench, item: "c\(index)", category: "Code", pair: "AB", chosen: 1, ranking: 3.5),
             record(.judgeBench, item: "c\(index)", category: "Code", pair: "BA", chosen: 2, ranking: 3.5)]
        }
        let report = JudgeBenchScoring.report(records)
        #expect(report.metrics == ["Math": 100, "Code": 0, "Overall": 25])
        #expect(report.missing == ["Knowledge", "Reasoning"])
        #expect(report.notes.isEmpty)
    }

    @Test func aPairWithOneGameIsScoredOnItAndNoted() {
        let report = JudgeBenchScoring.report([record(.judgeBench, item: "k", category: "Knowledge", pair: "AB", chosen: 2, ranking: 4)])
        #expect(report.metrics["Knowledge"] == 100)
        #expect(report.notes == ["1 pair(s) have only one of their two games judged"])
    }
}
