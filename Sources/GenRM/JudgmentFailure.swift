/// Why a model output does not hold a valid judgment.
public enum JudgmentFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// No `</think>` and no final blocks: the output stopped while the model was still reasoning.
    case truncated
    /// No `[The Begin of Individual Scores]` block with a `\boxed{...}` in the final answer.
    case noScoreBlock
    /// The scores box holds something other than comma-separated integers.
    case unreadableScores(boxed: String)
    /// The number of scores is not the number of responses (`expected` nil: neither 1 nor 2).
    case wrongScoreCount(expected: ResponseCount?, found: Int)
    /// A helpfulness score outside 1-5 (`response` is 1-based).
    case scoreOutOfRange(response: Int, score: Int)
    /// Two responses but no `[The Begin of Ranking Score]` block with a `\boxed{...}`.
    case noRankingBlock
    /// The ranking box holds something other than one integer.
    case unreadableRanking(boxed: String)
    /// A ranking outside 1-6.
    case rankingOutOfRange(ranking: Int)
    /// One response, yet the output gives a ranking: the judgment does not match the request.
    case rankingWithOneResponse
    /// Analyses given to ``Judgment/init(reasoning:analyses:scores:ranking:)`` do not match the
    /// scores one to one.
    case analysisCountMismatch(analyses: Int, scores: Int)

    public var description: String {
        switch self {
        case .truncated:
            "output stops mid-reasoning: no \(JudgmentFormat.thinkEnd) and no final score block (truncated?)"
        case .noScoreBlock:
            "no score block (\(JudgmentFormat.scoresBegin) with \(JudgmentFormat.boxedOpen)...}) in the final answer"
        case .unreadableScores(let boxed):
            "individual scores box {\(boxed)} is not a comma-separated list of integers"
        case .wrongScoreCount(let expected, let found):
            "expected \(expected.map { "\($0.rawValue)" } ?? "1 or 2") individual score(s), found \(found)"
        case .scoreOutOfRange(let response, let score):
            "score \(score) for response \(response) is outside 1-5"
        case .noRankingBlock:
            "two responses but no ranking block (\(JudgmentFormat.rankingBegin) with \(JudgmentFormat.boxedOpen)...})"
        case .unreadableRanking(let boxed):
            "ranking box {\(boxed)} is not one integer"
        case .rankingOutOfRange(let ranking):
            "ranking \(ranking) is outside 1-6"
        case .rankingWithOneResponse:
            "the output ranks responses, but only one response was judged"
        case .analysisCountMismatch(let analyses, let scores):
            "\(analyses) analyses for \(scores) scores"
        }
    }
}

/// A model output that could not be parsed: the reason, and the raw output kept for logs and
/// for voting's failure count.
public struct JudgmentParseError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var failure: JudgmentFailure
    public var rawOutput: String

    public init(failure: JudgmentFailure, rawOutput: String) {
        self.failure = failure
        self.rawOutput = rawOutput
    }

    public var description: String { "cannot parse the judgment: \(failure)" }

    private enum CodingKeys: String, CodingKey {
        case failure
        case rawOutput = "raw_output"
    }
}
