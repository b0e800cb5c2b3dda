/// N judgments of one request combined (voting@N, PROTOCOL.md section 5). Failed parses are
/// counted and left out of every mean and histogram.
public struct VoteSummary: Sendable, Hashable, Codable, CustomStringConvertible {
    public let responseCount: ResponseCount
    /// All votes, parsed or not.
    public let votes: Int
    /// Votes whose output could not be parsed; always reported, never averaged as neutral.
    public let failedParses: Int
    /// Mean helpfulness per response over the parsed votes; nil when none parsed.
    public let meanScores: [Double]?
    /// Mean ranking over the parsed votes (two responses); nil for one response or none parsed.
    public let meanRanking: Double?
    /// 1 when the mean ranking is below 3.5, 2 when above; nil on a tie or without a ranking.
    public let preferred: Int?
    /// The mean ranking is exactly 3.5: the votes prefer neither response.
    public let tie: Bool
    /// Per response, how many parsed votes gave each score: `[response][score - 1]`, 5 bins.
    public let scoreHistograms: [[Int]]
    /// How many parsed votes gave each ranking: `[ranking - 1]`, 6 bins; nil for one response.
    public let rankingHistogram: [Int]?

    public var parsedVotes: Int { votes - failedParses }

    init(responseCount: ResponseCount, votes: Int, judgments: [Judgment]) {
        let parsed = judgments.count
        let responses = responseCount.rawValue
        var scoreHistograms = Array(repeating: Array(repeating: 0, count: 5), count: responses)
        var scoreSums = Array(repeating: 0, count: responses)
        var rankingHistogram = Array(repeating: 0, count: 6)
        var rankingSum = 0
        for judgment in judgments {
            for (index, score) in judgment.scores.enumerated() {
                scoreHistograms[index][score - 1] += 1
                scoreSums[index] += score
            }
            if let ranking = judgment.ranking {
                rankingHistogram[ranking - 1] += 1
                rankingSum += ranking
            }
        }
        self.responseCount = responseCount
        self.votes = votes
        self.failedParses = votes - parsed
        self.scoreHistograms = scoreHistograms
        self.meanScores = parsed == 0 ? nil : scoreSums.map { Double($0) / Double(parsed) }
        guard responseCount == .two, parsed > 0 else {
            self.meanRanking = nil
            self.rankingHistogram = responseCount == .two ? rankingHistogram : nil
            self.preferred = nil
            self.tie = false
            return
        }
        self.rankingHistogram = rankingHistogram
        self.meanRanking = Double(rankingSum) / Double(parsed)
        // Compare sum / parsed with 3.5 in integers: 2 * sum against 7 * parsed, no rounding.
        let twiceSum = 2 * rankingSum, midpoint = 7 * parsed
        self.preferred = twiceSum < midpoint ? 1 : twiceSum > midpoint ? 2 : nil
        self.tie = twiceSum == midpoint
    }

    public var description: String {
        let parsedCount = "\(parsedVotes) of \(votes) votes parsed"
        guard let meanScores else { return "No vote could be parsed (\(votes) failed)." }
        let scores = meanScores.enumerated()
            .map { "response \($0.offset + 1) \(Self.format($0.element))" }.joined(separator: ", ")
        guard let meanRanking else { return "Mean helpfulness: \(scores) (\(parsedCount))." }
        let preference = preferred.map { "Response \($0) is preferred" } ?? "Neither response is preferred"
        return "\(preference): mean ranking \(Self.format(meanRanking)); mean helpfulness \(scores) (\(parsedCount))."
    }

    private static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private enum CodingKeys: String, CodingKey {
        case responseCount = "response_count"
        case votes
        case failedParses = "failed_parses"
        case meanScores = "mean_scores"
        case meanRanking = "mean_ranking"
        case preferred
        case tie
        case scoreHistograms = "score_histograms"
        case rankingHistogram = "ranking_histogram"
    }
}

/// Why votes could not be combined.
public enum VotingError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    case noVotes
    /// Vote `vote` (0-based) judged a different number of responses than the request has.
    case responseCountMismatch(vote: Int, expected: ResponseCount, found: ResponseCount)

    public var description: String {
        switch self {
        case .noVotes:
            "no votes to combine"
        case .responseCountMismatch(let vote, let expected, let found):
            "vote \(vote) judges \(found.rawValue) response(s), but the request has \(expected.rawValue)"
        }
    }
}

/// voting@N: sample N judgments of the same input and combine them.
public enum Voting {
    /// Combines parsed judgments and parse failures of one request.
    public static func combine(
        _ votes: [Result<Judgment, JudgmentParseError>], responses: ResponseCount
    ) throws(VotingError) -> VoteSummary {
        guard !votes.isEmpty else { throw .noVotes }
        var judgments: [Judgment] = []
        for (index, vote) in votes.enumerated() {
            guard case .success(let judgment) = vote else { continue }
            guard judgment.responseCount == responses else {
                throw .responseCountMismatch(vote: index, expected: responses, found: judgment.responseCount)
            }
            judgments.append(judgment)
        }
        return VoteSummary(responseCount: responses, votes: votes.count, judgments: judgments)
    }
}
