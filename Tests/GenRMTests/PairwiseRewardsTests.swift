import GenRM
import PropertyBased
import Testing

@Suite struct PairwiseRewardsTests {
    @Test func schedules() {
        #expect(PairSchedule.circular.pairs(candidates: 3) == [CandidatePair(0, 1), CandidatePair(1, 2), CandidatePair(2, 0)])
        #expect(PairSchedule.circular.pairs(candidates: 2) == [CandidatePair(0, 1), CandidatePair(1, 0)])
        #expect(PairSchedule.allPairs.pairs(candidates: 4) == [
            CandidatePair(0, 1), CandidatePair(0, 2), CandidatePair(0, 3),
            CandidatePair(1, 2), CandidatePair(1, 3), CandidatePair(2, 3),
        ])
        for schedule in PairSchedule.allCases {
            #expect(schedule.pairs(candidates: 1).isEmpty)
            #expect(schedule.pairs(candidates: 0).isEmpty)
        }
        #expect(PairSchedule(rawValue: "all_pairs") == .allPairs)
    }

    /// Three candidates, circular: (0,1) scores 4,4 ranking 2; (1,2) scores 2,5 ranking 6;
    /// (2,0) scores 3,3 ranking 5.
    let judgments = [
        PairJudgment(pair: CandidatePair(0, 1), scores: [4, 4], ranking: 2),
        PairJudgment(pair: CandidatePair(1, 2), scores: [2, 5], ranking: 6),
        PairJudgment(pair: CandidatePair(2, 0), scores: [3, 3], ranking: 5),
    ]

    /// The count a request is checked by, without building the pairs, is the count built; it
    /// saturates instead of trapping, and a group beyond the bound is refused naming `candidates`.
    @Test func pairCountsWithoutBuildingThePairs() throws {
        for schedule in PairSchedule.allCases {
            for n in 0...40 { #expect(schedule.pairCount(candidates: n) == schedule.pairs(candidates: n).count, "\(schedule) \(n)") }
        }
        #expect(PairSchedule.allPairs.pairCount(candidates: 1 << 20) == (1 << 19) * ((1 << 20) - 1))
        #expect(PairSchedule.allPairs.pairCount(candidates: .max) == .max)
        let history = [ChatMessage(role: "user", content: "Hi")]
        _ = try RewardsRequest(history: history, candidates: Array(repeating: "x", count: 128), schedule: .allPairs)
        do {
            _ = try RewardsRequest(history: history, candidates: Array(repeating: "x", count: 129), schedule: .allPairs)
            Issue.record("129 candidates in all pairs were accepted")
        } catch {
            #expect(error.field == "candidates")
            #expect(error.description.contains("129 candidates make 8256 all_pairs pairs, more than the 8128"), "\(error)")
        }
    }

    @Test func simpleTiebreakerAdjustsTiedScoresByTheRanking() throws {
        // (0,1): tie, adj = 1.5 -> 5.5, 2.5. (1,2): no tie -> 2, 5. (2,0): tie, adj = -1.5 -> 1.5, 4.5.
        let rewards = try PairwiseRewards.rewards(candidates: 4, judgments: judgments, aggregator: .simpleTiebreaker)
        let expected: [Double] = [(5.5 + 4.5) / 2, (2.5 + 2) / 2, (5 + 1.5) / 2, 3.0]
        #expect(rewards == expected)
    }

    @Test func weightedWinLossUsesTheWinShares() throws {
        // (0,1) ranking 2: 0.75 / 0.25. (1,2) ranking 6: 0 / 1. (2,0) ranking 5: 0.25 / 0.75.
        let rewards = try PairwiseRewards.rewards(candidates: 4, judgments: judgments, aggregator: .weightedWinLoss)
        let expected: [Double] = [(0.75 + 0.75) / 2, (0.25 + 0) / 2, (1 + 0.25) / 2, 0.5]
        #expect(rewards == expected)
    }

    @Test func individualScoresAverageTheRawScores() throws {
        let rewards = try PairwiseRewards.rewards(candidates: 4, judgments: judgments, aggregator: .individualScores)
        let expected: [Double] = [(4 + 3) / 2, (4 + 2) / 2, (5 + 3) / 2, 3.0]
        #expect(rewards == expected)
    }

    @Test func repeatedJudgmentsOfAPairEachCount() throws {
        let twice = [judgments[1], PairJudgment(pair: CandidatePair(1, 2), scores: [4, 3], ranking: 3)]
        #expect(try PairwiseRewards.rewards(candidates: 3, judgments: twice, aggregator: .individualScores) == [3, 3, 4])
    }

    @Test func buildsPairJudgmentsFromJudgments() throws {
        let judgment = try Judgment(scores: [2, 5], ranking: 6)
        #expect(PairJudgment(pair: CandidatePair(1, 2), judgment: judgment) == judgments[1])
        #expect(PairJudgment(pair: CandidatePair(0, 1), judgment: try Judgment(scores: [3], ranking: nil)) == nil)
    }

    @Test func rejectsInvalidJudgmentsNamingThem() {
        let pair = CandidatePair(0, 1)
        let cases: [(PairJudgment, PairwiseRewardError)] = [
            (PairJudgment(pair: CandidatePair(0, 3), scores: [1, 1], ranking: 1), .candidateOutOfRange(judgment: 1, candidate: 3, candidates: 3)),
            (PairJudgment(pair: CandidatePair(-1, 0), scores: [1, 1], ranking: 1), .candidateOutOfRange(judgment: 1, candidate: -1, candidates: 3)),
            (PairJudgment(pair: CandidatePair(2, 2), scores: [1, 1], ranking: 1), .pairWithItself(judgment: 1, candidate: 2)),
            (PairJudgment(pair: pair, scores: [1], ranking: 1), .wrongScoreCount(judgment: 1, found: 1)),
            (PairJudgment(pair: pair, scores: [1, 6], ranking: 1), .scoreOutOfRange(judgment: 1, score: 6)),
            (PairJudgment(pair: pair, scores: [1, 1], ranking: 0), .rankingOutOfRange(judgment: 1, ranking: 0)),
        ]
        for (bad, expected) in cases {
            #expect(throws: expected) {
                try PairwiseRewards.rewards(candidates: 3, judgments: [judgments[0], bad], aggregator: .simpleTiebreaker)
            }
        }
        #expect(throws: PairwiseRewardError.negativeCandidateCount(-1)) {
            try PairwiseRewards.rewards(candidates: -1, judgments: [], aggregator: .individualScores)
        }
    }

    @Test func winSharesAreConserved() async {
        let judgment = zip(Gen.int(in: 0...4), Gen.int(in: 1...4), Gen.int(in: 1...5), Gen.int(in: 1...5), Gen.int(in: 1...6))
            .map { drawn in
                PairJudgment(pair: CandidatePair(drawn.0, (drawn.0 + drawn.1) % 5), scores: [drawn.2, drawn.3], ranking: drawn.4)
            }
        await propertyCheck(input: judgment.array(of: 1...20)) { judgments in
            let rewards = try PairwiseRewards.rewards(candidates: 5, judgments: judgments, aggregator: .weightedWinLoss)
            var appearances = Array(repeating: 0, count: 5)
            for judgment in judgments {
                appearances[judgment.pair.first] += 1
                appearances[judgment.pair.second] += 1
            }
            // Each judgment hands out exactly one win in total.
            let totalWins = zip(rewards, appearances).map { $0 * Double($1) }.reduce(0, +)
            #expect(abs(totalWins - Double(judgments.count)) < 1e-9)
            #expect(rewards.allSatisfy { (0...1).contains($0) })
        }
    }
}
