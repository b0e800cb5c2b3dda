/// Position-swap debiasing (PROTOCOL.md section 4): judge the pair in both orders, map the
/// swapped judgments back, and combine all of them, so that a preference for a position cancels.
public enum PositionSwap {
    /// Judgments of `request` and of `request.swapped()` (any number of each, failures included)
    /// combined as votes in the original order.
    public static func debias(
        original: [Result<Judgment, JudgmentParseError>], swapped: [Result<Judgment, JudgmentParseError>]
    ) throws(VotingError) -> VoteSummary {
        // A one-response judgment has no swapped form; it stays as it is and combine rejects it.
        let unswapped = swapped.map { vote in vote.map { $0.positionSwapped() ?? $0 } }
        return try Voting.combine(original + unswapped, responses: .two)
    }
}

extension Judgment {
    /// The same judgment seen with the responses in the other order: ranking r becomes 7 - r, and
    /// the scores and analyses trade places. Applying it twice gives the judgment back. Nil for a
    /// one-response judgment, which has no pair to swap.
    public func positionSwapped() -> Judgment? {
        guard let ranking, scores.count == 2 else { return nil }
        return try? Judgment(
            reasoning: reasoning, analyses: analyses.reversed(), scores: scores.reversed(), ranking: 7 - ranking)
    }
}
