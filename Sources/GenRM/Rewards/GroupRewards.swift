/// Pairwise judging of a candidate group into one reward per candidate, over any judge backend:
/// every scheduled pair (both orders with `swap`) is judged at once, each parsed vote becomes a
/// ``PairJudgment``, and the aggregator turns them into rewards. Unparsed votes are counted,
/// never replaced by neutral scores: a candidate none of whose comparisons parsed has no reward
/// (null), not 3.0.
public enum GroupRewards {
    public static func run(_ request: RewardsRequest, judge: Judge) async throws -> RewardsResult {
        let clock = ContinuousClock()
        let start = clock.now
        let pairs = request.schedule.pairs(candidates: request.candidates.count)
        let results = try await withThrowingTaskGroup(of: (Int, JudgeResult).self) { group in
            for (index, pair) in pairs.enumerated() {
                let judgeRequest = try request.pairRequest(pair)
                var settings = request.settings
                // Each pair samples its own seeds: seed, seed + votes x orders, ...
                settings.sampling.seed = request.settings.sampling.seed
                    &+ UInt64(truncatingIfNeeded: index &* request.votes &* (request.swap ? 2 : 1))
                group.addTask {
                    (index, try await judge.judge(judgeRequest, votes: request.votes, swap: request.swap, settings: settings))
                }
            }
            var results: [JudgeResult?] = Array(repeating: nil, count: pairs.count)
            for try await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }

        var comparisons: [RewardsResult.Comparison] = []
        var judgments: [PairJudgment] = []
        for (pair, result) in zip(pairs, results) {
            for order in [JudgeVote.Order.original, .swapped] {
                let votes = result.votes.filter { $0.order == order }
                guard !votes.isEmpty else { continue }
                // The candidates as the judge saw them in this order.
                let seen = order == .original ? pair : CandidatePair(pair.second, pair.first)
                let parsed = votes.compactMap { vote -> Judgment? in
                    if case .success(let judgment) = vote.outcome { return judgment }
                    return nil
                }
                judgments += parsed.compactMap { PairJudgment(pair: seen, judgment: $0) }
                let readouts = votes.compactMap(\.completion.readout)
                comparisons.append(RewardsResult.Comparison(
                    i: seen.first, j: seen.second, order: order,
                    ranking: mean(parsed.compactMap { $0.ranking.map(Double.init) }),
                    scores: parsed.isEmpty ? nil : [0, 1].map { side in mean(parsed.map { Double($0.scores[side]) })! },
                    expectedRanking: mean(readouts.compactMap(\.expectedRanking)),
                    expectedScores: readouts.isEmpty ? nil : [0, 1].map { side in mean(readouts.map { $0.expectedScores[side] })! },
                    votes: votes.count, failures: votes.count - parsed.count))
            }
        }
        let rewards = try PairwiseRewards.rewards(candidates: request.candidates.count, judgments: judgments, aggregator: request.aggregator)
        var judged = Array(repeating: false, count: request.candidates.count)
        for judgment in judgments {
            judged[judgment.pair.first] = true
            judged[judgment.pair.second] = true
        }
        let elapsed = start.duration(to: clock.now)
        return RewardsResult(
            model: judge.backend.modelName, aggregator: request.aggregator, schedule: request.schedule,
            rewards: zip(rewards, judged).map { $1 ? $0 : nil }, comparisons: comparisons,
            failures: comparisons.reduce(0) { $0 + $1.failures },
            promptTokens: results.reduce(0) { $0 + $1.promptTokens }, completionTokens: results.reduce(0) { $0 + $1.completionTokens },
            seconds: elapsed.seconds)
    }

    private static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}

/// One reward per candidate and the comparisons behind them.
public struct RewardsResult: Sendable, Hashable, Encodable {
    public var model: String
    public var aggregator: RewardAggregator
    public var schedule: PairSchedule
    /// Per candidate; nil when none of its comparisons gave a parsed judgment.
    public var rewards: [Double?]
    public var comparisons: [Comparison]
    /// Votes that did not parse, over all comparisons.
    public var failures: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var seconds: Double

    /// One pair judged in one order: `i` was response 1 and `j` response 2; the numbers are the
    /// means over its parsed votes, as the judge wrote them (this order's frame).
    public struct Comparison: Sendable, Hashable, Encodable {
        public var i: Int
        public var j: Int
        public var order: JudgeVote.Order
        public var ranking: Double?
        public var scores: [Double]?
        public var expectedRanking: Double?
        public var expectedScores: [Double]?
        public var votes: Int
        public var failures: Int

        private enum CodingKeys: String, CodingKey {
            case i, j, order, ranking, scores, votes, failures
            case expectedRanking = "expected_ranking"
            case expectedScores = "expected_scores"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(i, forKey: .i)
            try container.encode(j, forKey: .j)
            try container.encode(order, forKey: .order)
            try container.encode(ranking, forKey: .ranking)
            try container.encode(scores, forKey: .scores)
            try container.encode(expectedRanking, forKey: .expectedRanking)
            try container.encode(expectedScores, forKey: .expectedScores)
            try container.encode(votes, forKey: .votes)
            try container.encode(failures, forKey: .failures)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case model, aggregator, schedule, rewards, comparisons, failures, usage, seconds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(aggregator, forKey: .aggregator)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(rewards, forKey: .rewards)
        try container.encode(comparisons, forKey: .comparisons)
        try container.encode(failures, forKey: .failures)
        try container.encode(TokenUsage(promptTokens: promptTokens, completionTokens: completionTokens), forKey: .usage)
        try container.encode(seconds, forKey: .seconds)
    }
}
