import GenRM
import PropertyBased
import Testing

@Suite struct PositionSwapTests {
    @Test func swappingMapsTheRankingAndSwapsTheScores() throws {
        let judgment = try Judgment(analyses: ["a", "b"], scores: [2, 5], ranking: 5)
        let swapped = try #require(judgment.positionSwapped())
        #expect(swapped.scores == [5, 2])
        #expect(swapped.ranking == 2)
        #expect(swapped.analyses == ["b", "a"])
        #expect(swapped.verdict == .preference(preferred: 1, strength: .better))
        #expect(try Judgment(scores: [3], ranking: nil).positionSwapped() == nil)
    }

    @Test func aJudgeThatAlwaysPrefersTheFirstPositionDebiasesToATie() throws {
        // The judge says "response 1 is better" (ranking 2) whichever response is first.
        let biased = try Judgment(scores: [4, 4], ranking: 2)
        let summary = try PositionSwap.debias(original: [.success(biased)], swapped: [.success(biased)])
        #expect(summary.meanRanking == 3.5)
        #expect(summary.tie)
        #expect(summary.preferred == nil)
        #expect(summary.votes == 2)
    }

    @Test func agreeingOrdersKeepTheirPreference() throws {
        let original = try Judgment(scores: [1, 5], ranking: 6)
        let swappedOrder = try Judgment(scores: [5, 1], ranking: 1)
        let summary = try PositionSwap.debias(original: [.success(original)], swapped: [.success(swappedOrder)])
        #expect(summary.meanScores == [1, 5])
        #expect(summary.meanRanking == 6)
        #expect(summary.preferred == 2)
    }

    @Test func aOneResponseVoteCannotBeDebiased() throws {
        let one = try Judgment(scores: [4], ranking: nil)
        #expect(throws: VotingError.responseCountMismatch(vote: 0, expected: .two, found: .one)) {
            try PositionSwap.debias(original: [], swapped: [.success(one)])
        }
    }

    @Test func swappingTwiceIsTheIdentity() async {
        await propertyCheck(input: Generators.pairJudgment) { judgment in
            let swapped = try #require(judgment.positionSwapped())
            #expect(swapped.positionSwapped() == judgment)
            #expect(swapped.ranking.map { 7 - $0 } == judgment.ranking)
            #expect(swapped.scores == judgment.scores.reversed())
            #expect(swapped.preferred.map { 3 - $0 } == judgment.preferred)
        }
    }

    @Test func debiasingIsSymmetricInTheTwoOrders() async {
        await propertyCheck(input: Generators.pairVotes, Generators.pairVotes) { original, swapped in
            let forward = try PositionSwap.debias(original: original, swapped: swapped)
            // The same evidence with the roles of the two orders exchanged is the mirror image.
            let backward = try PositionSwap.debias(original: swapped, swapped: original)
            #expect(backward.votes == forward.votes)
            #expect(backward.failedParses == forward.failedParses)
            #expect(backward.tie == forward.tie)
            #expect(backward.preferred.map { 3 - $0 } == forward.preferred)
            #expect(backward.meanScores.map { Array($0.reversed()) } == forward.meanScores)
            if let f = forward.meanRanking, let b = backward.meanRanking {
                #expect(abs(b - (7 - f)) < 1e-12)
            } else {
                #expect(forward.meanRanking == nil && backward.meanRanking == nil)
            }
            #expect(backward.rankingHistogram.map { Array($0.reversed()) } == forward.rankingHistogram)
            #expect(Array(backward.scoreHistograms.reversed()) == forward.scoreHistograms)
        }
    }
}
