import Foundation
import GenRM
import Testing

@Suite struct VotingTests {
    func judgment(_ scores: [Int], _ ranking: Int?) throws -> Result<Judgment, JudgmentParseError> {
        .success(try Judgment(scores: scores, ranking: ranking))
    }

    let failed = Result<Judgment, JudgmentParseError>.failure(JudgmentParseError(failure: .noScoreBlock, rawOutput: "?"))

    @Test func combinesPairVotesAndCountsFailures() throws {
        let summary = try Voting.combine([judgment([1, 5], 5), judgment([2, 4], 6), failed, judgment([2, 5], 4)], responses: .two)
        #expect(summary.votes == 4)
        #expect(summary.failedParses == 1)
        #expect(summary.parsedVotes == 3)
        #expect(summary.meanScores == [5.0 / 3.0, 14.0 / 3.0])
        #expect(summary.meanRanking == 5.0)
        #expect(summary.preferred == 2)
        #expect(!summary.tie)
        #expect(summary.rankingHistogram == [0, 0, 0, 1, 1, 1])
        #expect(summary.scoreHistograms == [[1, 2, 0, 0, 0], [0, 0, 0, 1, 2]])
        #expect(summary.description == "Response 2 is preferred: mean ranking 5.00; mean helpfulness response 1 1.67, response 2 4.67 (3 of 4 votes parsed).")
    }

    @Test func aMeanRankingOfThreeAndAHalfIsATie() throws {
        let summary = try Voting.combine([judgment([3, 3], 3), judgment([3, 3], 4)], responses: .two)
        #expect(summary.meanRanking == 3.5)
        #expect(summary.tie)
        #expect(summary.preferred == nil)
    }

    @Test func combinesOneResponseVotes() throws {
        let summary = try Voting.combine([judgment([4], nil), judgment([5], nil), failed], responses: .one)
        #expect(summary.meanScores == [4.5])
        #expect(summary.meanRanking == nil)
        #expect(summary.rankingHistogram == nil)
        #expect(summary.scoreHistograms == [[0, 0, 0, 1, 1]])
        #expect(summary.failedParses == 1)
    }

    @Test func allFailedIsReportedNotNeutral() throws {
        let summary = try Voting.combine([failed, failed], responses: .two)
        #expect(summary.failedParses == 2)
        #expect(summary.meanScores == nil)
        #expect(summary.meanRanking == nil)
        #expect(summary.preferred == nil)
        #expect(!summary.tie)
        #expect(summary.rankingHistogram == [0, 0, 0, 0, 0, 0])
    }

    @Test func rejectsNoVotesAndMixedResponseCounts() throws {
        #expect(throws: VotingError.noVotes) { try Voting.combine([], responses: .one) }
        let mixed = [try judgment([1, 5], 5), try judgment([3], nil)]
        #expect(throws: VotingError.responseCountMismatch(vote: 1, expected: .two, found: .one)) {
            try Voting.combine(mixed, responses: .two)
        }
    }

    @Test func summaryJSONUsesSnakeCaseKeys() throws {
        let summary = try Voting.combine([judgment([1, 5], 5), failed], responses: .two)
        let object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any])
        #expect(Set(object.keys) == [
            "response_count", "votes", "failed_parses", "mean_scores", "mean_ranking", "preferred", "tie",
            "score_histograms", "ranking_histogram",
        ])
        #expect(try JSONDecoder().decode(VoteSummary.self, from: JSONEncoder().encode(summary)) == summary)
    }
}
