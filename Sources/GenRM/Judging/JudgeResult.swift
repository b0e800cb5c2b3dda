/// One vote: the backend's completion and what the parser made of it, in the order it was judged.
public struct JudgeVote: Sendable, Hashable {
    public enum Order: String, Sendable, Hashable, Codable {
        /// The responses as the request gave them.
        case original
        /// response_1 and response_2 exchanged (position-swap debiasing).
        case swapped
    }

    public var order: Order
    public var completion: JudgeCompletion
    /// The parsed judgment in the order it was judged, or the parse failure with the raw text.
    public var outcome: Result<Judgment, JudgmentParseError>

    /// The judgment in the request's own order (a swapped vote mapped back), if it parsed.
    public var judgmentInRequestOrder: Judgment? {
        guard case .success(let judgment) = outcome else { return nil }
        return order == .swapped ? (judgment.positionSwapped() ?? judgment) : judgment
    }

    /// The score readout in the request's own order.
    public var readoutInRequestOrder: ScoreReadout? {
        order == .swapped ? completion.readout?.positionSwapped() : completion.readout
    }
}

/// Everything one call of the judge found: every vote, their combination, and the readouts.
public struct JudgeResult: Sendable, Hashable {
    public var model: String
    public var responses: ResponseCount
    public var votes: [JudgeVote]
    /// The votes combined in the request's order (debiased when swapped votes are present).
    public var summary: VoteSummary
    public var seconds: Double
    /// Groups of sampled votes (indices into `votes`) whose texts are identical; empty when
    /// every sampled vote differs, or at temperature 0 where identical votes are expected.
    public var identicalVotes: [[Int]]

    public init(
        model: String, responses: ResponseCount, votes: [JudgeVote], summary: VoteSummary, seconds: Double,
        identicalVotes: [[Int]] = []
    ) {
        self.model = model
        self.responses = responses
        self.votes = votes
        self.summary = summary
        self.seconds = seconds
        self.identicalVotes = identicalVotes
    }

    /// The first vote that parsed, in the request's order: the judgment to show in full.
    public var judgment: Judgment? { votes.lazy.compactMap(\.judgmentInRequestOrder).first }

    /// Mean of the readouts' expected scores over the votes that have one (request order).
    public var expectedScores: [Double]? {
        let readouts = votes.compactMap(\.readoutInRequestOrder)
        guard let first = readouts.first else { return nil }
        return first.scoreDistributions.indices.map { response in
            readouts.reduce(0) { $0 + $1.expectedScores[response] } / Double(readouts.count)
        }
    }

    /// Mean of the readouts' expected rankings (request order); nil for one response.
    public var expectedRanking: Double? {
        let rankings = votes.compactMap { $0.readoutInRequestOrder?.expectedRanking }
        guard !rankings.isEmpty else { return nil }
        return rankings.reduce(0, +) / Double(rankings.count)
    }

    public var promptTokens: Int { votes.reduce(0) { $0 + $1.completion.promptTokens } }
    public var completionTokens: Int { votes.reduce(0) { $0 + $1.completion.completionTokens } }
}
