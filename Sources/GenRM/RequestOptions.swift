/// How a request's messages become the judged request.
public struct RequestOptions: Sendable, Hashable, Codable {
    /// Judge only the text after each response's last `</think>` (default `true`; see
    /// ``CandidateReasoning``). Turn off to judge responses exactly as sent.
    public var stripsCandidateReasoning: Bool

    public init(stripsCandidateReasoning: Bool = true) {
        self.stripsCandidateReasoning = stripsCandidateReasoning
    }

    private enum CodingKeys: String, CodingKey {
        case stripsCandidateReasoning = "strip_candidate_reasoning"
    }
}
