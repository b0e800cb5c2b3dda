/// One parsed GenRM judgment: the reasoning trace, an analysis per response, a helpfulness score
/// (1-5) per response, and for two responses a ranking (1-6). Always valid: the initialiser
/// checks every number, so code that holds a `Judgment` never re-checks it.
public struct Judgment: Sendable, Hashable {
    /// The text before the last `</think>` (without the opening `<think>`, trimmed); empty when
    /// the output had none.
    public let reasoning: String
    /// The analysis of each response, in order; nil where the output had no analysis block for
    /// that response (the scores do not depend on it, so its absence is not a failure).
    public let analyses: [String?]
    /// Helpfulness of response 1 (and 2), each 1-5.
    public let scores: [Int]
    /// 1-6 for two responses, nil for one.
    public let ranking: Int?
    /// What the numbers say, in words.
    public let verdict: Verdict

    /// Checks and builds a judgment. `analyses` defaults to none found.
    public init(reasoning: String = "", analyses: [String?]? = nil, scores: [Int], ranking: Int?) throws(JudgmentFailure) {
        guard let count = ResponseCount(rawValue: scores.count) else {
            throw .wrongScoreCount(expected: nil, found: scores.count)
        }
        for (index, score) in scores.enumerated() where Helpfulness(rawValue: score) == nil {
            throw .scoreOutOfRange(response: index + 1, score: score)
        }
        switch (count, ranking) {
        case (.one, nil):
            guard let level = Helpfulness(rawValue: scores[0]) else {
                throw .scoreOutOfRange(response: 1, score: scores[0])
            }
            verdict = .helpfulness(level)
        case (.one, .some):
            throw .rankingWithOneResponse
        case (.two, nil):
            throw .noRankingBlock
        case (.two, let ranking?):
            guard let preference = Verdict(ranking: ranking) else { throw .rankingOutOfRange(ranking: ranking) }
            verdict = preference
        }
        let analyses = analyses ?? Array(repeating: nil, count: scores.count)
        guard analyses.count == scores.count else {
            throw .analysisCountMismatch(analyses: analyses.count, scores: scores.count)
        }
        self.reasoning = reasoning
        self.analyses = analyses
        self.scores = scores
        self.ranking = ranking
    }

    public var responseCount: ResponseCount { scores.count == 2 ? .two : .one }

    /// 1 or 2 for two responses (ranking 1-3 prefers response 1), nil for one.
    public var preferred: Int? { verdict.preferred }
}

/// JSON: `{"reasoning": ..., "analyses": [...], "scores": [...], "ranking": n|null,
/// "preferred": 1|2|null}`. `preferred` is derived from the ranking; decoding checks the numbers
/// like the initialiser does.
extension Judgment: Codable {
    private enum CodingKeys: String, CodingKey {
        case reasoning, analyses, scores, ranking, preferred
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let scores = try container.decode([Int].self, forKey: .scores)
        do {
            try self.init(
                reasoning: try container.decodeIfPresent(String.self, forKey: .reasoning) ?? "",
                analyses: try container.decodeIfPresent([String?].self, forKey: .analyses),
                scores: scores,
                ranking: try container.decodeIfPresent(Int.self, forKey: .ranking))
        } catch let failure as JudgmentFailure {
            throw DecodingError.dataCorruptedError(forKey: .scores, in: container, debugDescription: failure.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reasoning, forKey: .reasoning)
        try container.encode(analyses, forKey: .analyses)
        try container.encode(scores, forKey: .scores)
        try container.encode(ranking, forKey: .ranking)
        try container.encode(preferred, forKey: .preferred)
    }
}
