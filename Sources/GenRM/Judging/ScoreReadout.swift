/// What the model believed at each score slot of one judgment: its probability over the allowed
/// digits (helpfulness 1-5 per response, ranking 1-6), their expected values and the most likely
/// digits. One sample thus gives a continuous reward: the limit of voting for that slot.
public struct ScoreReadout: Sendable, Hashable, Codable {
    /// `[response][score - 1]`: P(score) per response, 5 entries summing to 1.
    public var scoreDistributions: [[Double]]
    /// `[ranking - 1]`: P(ranking), 6 entries; nil for one response.
    public var rankingDistribution: [Double]?
    /// Read from a server's top logprobs: slot (`response_1`, `response_2`, `ranking`) -> allowed
    /// digits the top list did not hold, counted as probability 0. Empty for the embedded engine,
    /// which sees every digit.
    public var missingDigits: [String: [Int]] = [:]

    public init(scoreDistributions: [[Double]], rankingDistribution: [Double]?, missingDigits: [String: [Int]] = [:]) {
        self.scoreDistributions = scoreDistributions
        self.rankingDistribution = rankingDistribution
        self.missingDigits = missingDigits
    }

    public var expectedScores: [Double] { scoreDistributions.map(Self.expectation) }
    public var expectedRanking: Double? { rankingDistribution.map(Self.expectation) }
    public var likeliestScores: [Int] { scoreDistributions.map(Self.likeliest) }
    public var likeliestRanking: Int? { rankingDistribution.map(Self.likeliest) }

    /// The same readout with the two responses in the other order (ranking r becomes 7 - r).
    public func positionSwapped() -> ScoreReadout {
        var missing = missingDigits
        missing["response_1"] = missingDigits["response_2"]
        missing["response_2"] = missingDigits["response_1"]
        if let ranking = missingDigits["ranking"] { missing["ranking"] = ranking.map { 7 - $0 }.sorted() }
        return ScoreReadout(
            scoreDistributions: scoreDistributions.reversed(), rankingDistribution: rankingDistribution?.reversed(),
            missingDigits: missing)
    }

    /// Sum of value x probability, values counted from 1.
    static func expectation(_ distribution: [Double]) -> Double {
        distribution.enumerated().reduce(0) { $0 + Double($1.offset + 1) * $1.element }
    }

    /// The value (from 1) with the highest probability; the lowest value on a tie.
    static func likeliest(_ distribution: [Double]) -> Int {
        var best = 0
        for index in distribution.indices where distribution[index] > distribution[best] { best = index }
        return best + 1
    }

    private enum CodingKeys: String, CodingKey {
        case scoreDistributions = "score_distributions"
        case rankingDistribution = "ranking_distribution"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ExtendedKeys.self)
        try container.encode(scoreDistributions, forKey: .scoreDistributions)
        try container.encodeIfPresent(rankingDistribution, forKey: .rankingDistribution)
        try container.encode(expectedScores, forKey: .expectedScores)
        try container.encodeIfPresent(expectedRanking, forKey: .expectedRanking)
        try container.encode(likeliestScores, forKey: .likeliestScores)
        try container.encodeIfPresent(likeliestRanking, forKey: .likeliestRanking)
        if !missingDigits.isEmpty { try container.encode(missingDigits, forKey: .missingDigits) }
    }

    private enum ExtendedKeys: String, CodingKey {
        case scoreDistributions = "score_distributions"
        case rankingDistribution = "ranking_distribution"
        case expectedScores = "expected_scores"
        case expectedRanking = "expected_ranking"
        case likeliestScores = "likeliest_scores"
        case likeliestRanking = "likeliest_ranking"
        case missingDigits = "missing_digits"
    }
}
