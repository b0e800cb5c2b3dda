/// The judge's result as JSON (CLI `--json`, the server's `/v1/judge`). The top level is the
/// combined result: mean scores and mean ranking over the parsed votes, the preferred response
/// and the verdict they give (null where no vote parsed), the vote summary and the readouts'
/// expectations; each vote keeps its own judgment under `votes`; then usage and time.
extension JudgeResult: Encodable {
    private enum CodingKeys: String, CodingKey {
        case model, responses, scores, ranking, preferred, verdict, summary
        case expectedScores = "expected_scores"
        case expectedRanking = "expected_ranking"
        case votes, usage, seconds
        case identicalVotes = "identical_votes"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(responses.rawValue, forKey: .responses)
        try container.encode(summary.meanScores, forKey: .scores)
        try container.encode(summary.meanRanking, forKey: .ranking)
        try container.encode(summary.preferred, forKey: .preferred)
        try container.encode(verdictText, forKey: .verdict)
        try container.encode(summary, forKey: .summary)
        try container.encode(expectedScores, forKey: .expectedScores)
        try container.encode(expectedRanking, forKey: .expectedRanking)
        try container.encode(votes, forKey: .votes)
        try container.encode(identicalVotes, forKey: .identicalVotes)
        try container.encode(TokenUsage(promptTokens: promptTokens, completionTokens: completionTokens), forKey: .usage)
        try container.encode(seconds, forKey: .seconds)
    }

    /// The combined verdict in words: from the mean ranking for two responses, the mean
    /// helpfulness for one.
    public var verdictText: String {
        guard summary.parsedVotes > 0 else { return "No judgment: none of the \(summary.votes) votes could be parsed." }
        if let meanRanking = summary.meanRanking {
            guard let preferred = summary.preferred else { return "Neither response is preferred (mean ranking 3.5)." }
            let rounded = Int(meanRanking.rounded())
            let clamped = preferred == 1 ? min(max(rounded, 1), 3) : min(max(rounded, 4), 6)
            return Verdict(ranking: clamped).map { "\($0)" } ?? "Response \(preferred) is preferred."
        }
        let mean = summary.meanScores?.first ?? 0
        return "Response 1 helpfulness: \((mean * 100).rounded() / 100) of 5."
    }
}

extension JudgeVote: Encodable {
    private enum CodingKeys: String, CodingKey {
        case order, text, judgment, failure, readout, backend
        case finishReason = "finish_reason"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(order, forKey: .order)
        try container.encode(completion.text, forKey: .text)
        switch outcome {
        case .success(let judgment):
            try container.encode(judgment, forKey: .judgment)
            try container.encodeNil(forKey: .failure)
        case .failure(let error):
            try container.encodeNil(forKey: .judgment)
            try container.encode(error.failure.description, forKey: .failure)
        }
        try container.encode(completion.readout, forKey: .readout)
        try container.encode(completion.finishReason, forKey: .finishReason)
        try container.encode(completion.promptTokens, forKey: .promptTokens)
        try container.encode(completion.completionTokens, forKey: .completionTokens)
        try container.encodeIfPresent(completion.backend, forKey: .backend)
    }
}
