/// One judged pair: which candidates were response 1 and 2, their scores, and the ranking.
public struct PairJudgment: Sendable, Hashable, Codable {
    public var pair: CandidatePair
    /// Helpfulness of `pair.first` and `pair.second`, each 1-5.
    public var scores: [Int]
    /// 1-6; below 3.5 prefers `pair.first`.
    public var ranking: Int

    public init(pair: CandidatePair, scores: [Int], ranking: Int) {
        self.pair = pair
        self.scores = scores
        self.ranking = ranking
    }

    /// The numbers of a two-response judgment of `pair`; nil for a one-response judgment.
    public init?(pair: CandidatePair, judgment: Judgment) {
        guard let ranking = judgment.ranking else { return nil }
        self.init(pair: pair, scores: judgment.scores, ranking: ranking)
    }
}

/// How pairwise judgments become one reward per candidate (PROTOCOL.md section 5, as in NVIDIA's
/// NeMo Gym and NeMo-RL).
public enum RewardAggregator: String, Sendable, Hashable, Codable, CaseIterable {
    /// Each candidate's mean individual score over its comparisons, where a tie in the scores
    /// (s1 == s2) is broken by the ranking: adj = 3.5 - ranking, s1 += adj, s2 -= adj.
    case simpleTiebreaker = "simple_tiebreaker"
    /// Each candidate's mean win share: ranking 1...6 gives response 1 a share of
    /// 1.0, 0.75, 0.6, 0.4, 0.25, 0.0 and response 2 the rest.
    case weightedWinLoss = "weighted_win_loss"
    /// Each candidate's mean raw individual score.
    case individualScores = "individual_scores"

    /// The reward of a candidate that was never compared: the neutral score 3.0, or for win
    /// shares the even share 0.5.
    public var neutralReward: Double {
        self == .weightedWinLoss ? 0.5 : 3.0
    }

    static let winShareOfFirst: [Double] = [1.0, 0.75, 0.6, 0.4, 0.25, 0.0]

    /// The values this aggregator credits to (first, second) for one valid judgment.
    func credits(_ judgment: PairJudgment) -> (first: Double, second: Double) {
        let s1 = Double(judgment.scores[0]), s2 = Double(judgment.scores[1])
        switch self {
        case .simpleTiebreaker:
            guard judgment.scores[0] == judgment.scores[1] else { return (s1, s2) }
            let adjustment = 3.5 - Double(judgment.ranking)
            return (s1 + adjustment, s2 - adjustment)
        case .weightedWinLoss:
            let share = Self.winShareOfFirst[judgment.ranking - 1]
            return (share, 1 - share)
        case .individualScores:
            return (s1, s2)
        }
    }
}

/// Why pairwise judgments could not be aggregated; `judgment` is the 0-based index in the list.
public enum PairwiseRewardError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    case negativeCandidateCount(Int)
    case candidateOutOfRange(judgment: Int, candidate: Int, candidates: Int)
    case pairWithItself(judgment: Int, candidate: Int)
    case wrongScoreCount(judgment: Int, found: Int)
    case scoreOutOfRange(judgment: Int, score: Int)
    case rankingOutOfRange(judgment: Int, ranking: Int)

    public var description: String {
        switch self {
        case .negativeCandidateCount(let count):
            "candidate count \(count) is negative"
        case .candidateOutOfRange(let judgment, let candidate, let candidates):
            "pair judgment \(judgment) names candidate \(candidate), but there are \(candidates) candidates (0-based)"
        case .pairWithItself(let judgment, let candidate):
            "pair judgment \(judgment) compares candidate \(candidate) with itself"
        case .wrongScoreCount(let judgment, let found):
            "pair judgment \(judgment) has \(found) scores; expected 2"
        case .scoreOutOfRange(let judgment, let score):
            "pair judgment \(judgment) has score \(score), outside 1-5"
        case .rankingOutOfRange(let judgment, let ranking):
            "pair judgment \(judgment) has ranking \(ranking), outside 1-6"
        }
    }
}

/// Pairwise judgments of N candidates -> one reward per candidate.
public enum PairwiseRewards {
    /// Each candidate's reward is the mean of what `aggregator` credits it over every judgment it
    /// appears in (a pair judged k times counts k times); ``RewardAggregator/neutralReward`` when
    /// it appears in none.
    public static func rewards(
        candidates: Int, judgments: [PairJudgment], aggregator: RewardAggregator
    ) throws(PairwiseRewardError) -> [Double] {
        guard candidates >= 0 else { throw .negativeCandidateCount(candidates) }
        var sums = Array(repeating: 0.0, count: candidates)
        var counts = Array(repeating: 0, count: candidates)
        for (index, judgment) in judgments.enumerated() {
            try check(judgment, index: index, candidates: candidates)
            let credit = aggregator.credits(judgment)
            sums[judgment.pair.first] += credit.first
            sums[judgment.pair.second] += credit.second
            counts[judgment.pair.first] += 1
            counts[judgment.pair.second] += 1
        }
        return zip(sums, counts).map { sum, count in count == 0 ? aggregator.neutralReward : sum / Double(count) }
    }

    private static func check(_ judgment: PairJudgment, index: Int, candidates: Int) throws(PairwiseRewardError) {
        for candidate in [judgment.pair.first, judgment.pair.second] where !(0..<candidates).contains(candidate) {
            throw .candidateOutOfRange(judgment: index, candidate: candidate, candidates: candidates)
        }
        guard judgment.pair.first != judgment.pair.second else {
            throw .pairWithItself(judgment: index, candidate: judgment.pair.first)
        }
        guard judgment.scores.count == 2 else { throw .wrongScoreCount(judgment: index, found: judgment.scores.count) }
        for score in judgment.scores where !(1...5).contains(score) {
            throw .scoreOutOfRange(judgment: index, score: score)
        }
        guard (1...6).contains(judgment.ranking) else {
            throw .rankingOutOfRange(judgment: index, ranking: judgment.ranking)
        }
    }
}
