import GenRM
import PropertyBased
import Testing

/// Invariants of voting@N over random votes (failures included).
@Suite struct VotingPropertyTests {
    @Test func countsAndHistogramsAddUp() async {
        await propertyCheck(input: Generators.pairVotes) { votes in
            let summary = try Voting.combine(votes, responses: .two)
            let parsed = votes.judgments
            #expect(summary.votes == votes.count)
            #expect(summary.parsedVotes == parsed.count)
            #expect(summary.failedParses + summary.parsedVotes == summary.votes)
            #expect(summary.rankingHistogram?.reduce(0, +) == parsed.count)
            #expect(summary.scoreHistograms.allSatisfy { $0.reduce(0, +) == parsed.count })
        }
    }

    @Test func meansMatchTheParsedVotesAndThePreferenceMatchesTheMean() async {
        await propertyCheck(input: Generators.pairVotes) { votes in
            let summary = try Voting.combine(votes, responses: .two)
            let parsed = votes.judgments
            guard let meanRanking = summary.meanRanking, let meanScores = summary.meanScores else {
                #expect(parsed.isEmpty)
                return
            }
            let rankings = parsed.compactMap(\.ranking)
            #expect(abs(meanRanking - Double(rankings.reduce(0, +)) / Double(rankings.count)) < 1e-12)
            #expect(meanRanking >= Double(rankings.min() ?? 0) && meanRanking <= Double(rankings.max() ?? 0))
            #expect(abs(meanScores[0] - Double(parsed.map { $0.scores[0] }.reduce(0, +)) / Double(parsed.count)) < 1e-12)
            #expect(summary.preferred == (meanRanking < 3.5 ? 1 : meanRanking > 3.5 ? 2 : nil))
            #expect(summary.tie == (meanRanking == 3.5))
        }
    }

    @Test func failuresDoNotMoveTheMeans() async {
        await propertyCheck(input: Generators.pairVotes) { votes in
            let summary = try Voting.combine(votes, responses: .two)
            let failure = Result<Judgment, JudgmentParseError>.failure(JudgmentParseError(failure: .truncated, rawOutput: ""))
            let withMoreFailures = try Voting.combine(votes + [failure, failure], responses: .two)
            #expect(withMoreFailures.meanScores == summary.meanScores)
            #expect(withMoreFailures.meanRanking == summary.meanRanking)
            #expect(withMoreFailures.preferred == summary.preferred)
            #expect(withMoreFailures.failedParses == summary.failedParses + 2)
        }
    }

    @Test func orderOfVotesDoesNotMatter() async {
        await propertyCheck(input: Generators.pairVotes) { votes in
            let summary = try Voting.combine(votes, responses: .two)
            #expect(try Voting.combine(votes.reversed(), responses: .two) == summary)
            #expect(try Voting.combine(votes.shuffled(), responses: .two) == summary)
        }
    }

    @Test func unanimousVotesAreTheirOwnMean() async {
        await propertyCheck(input: Generators.pairJudgment, Gen.int(in: 1...8)) { judgment, count in
            let summary = try Voting.combine(Array(repeating: .success(judgment), count: count), responses: .two)
            #expect(summary.meanScores == judgment.scores.map(Double.init))
            #expect(summary.meanRanking == judgment.ranking.map(Double.init))
            #expect(summary.preferred == judgment.preferred)
        }
    }
}
