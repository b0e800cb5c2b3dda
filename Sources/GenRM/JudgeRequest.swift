/// A validated judging request: the conversation so far and the one or two responses to judge.
///
/// Built from OpenAI chat messages (see ``init(messages:options:)`` for the rules). The optional
/// leading system message is kept as ``system``; the judging prompt shows it as a `System:` line
/// before the conversation (see ``JudgePromptBuilder/context(of:)``).
public struct JudgeRequest: Sendable, Hashable {
    /// The judged conversation's own system turn, if its first message was a system message.
    public let system: String?
    /// User and assistant turns; never empty, and the last one is the user's.
    public let history: [HistoryTurn]
    /// The judged text of `response_1` and, if present, `response_2` (empty text is allowed).
    public let responses: [String]

    public var responseCount: ResponseCount { responses.count == 2 ? .two : .one }

    /// Validates `messages` (PROTOCOL.md section 1). Throws the first broken rule, naming the
    /// message index: no messages, an unknown role, a system message after the first, no user turn,
    /// history not ending with a user turn, no `response_1`, `response_2` without or before
    /// `response_1`, a repeated or third response, or a message after the responses.
    public init(messages: [ChatMessage], options: RequestOptions = RequestOptions()) throws(RequestError) {
        let parts = try RequestValidation.validate(messages)
        system = parts.system
        history = parts.history
        responses = options.stripsCandidateReasoning
            ? parts.responses.map(CandidateReasoning.finalAnswer(of:)) : parts.responses
    }

    /// A request from its parts, checked by the same rules; responses are taken as judged text.
    public init(system: String? = nil, history: [HistoryTurn], responses: [String]) throws(RequestError) {
        let messages = JudgeRequest.messages(system: system, history: history, responses: responses)
        try self.init(messages: messages, options: RequestOptions(stripsCandidateReasoning: false))
    }

    /// The request as OpenAI chat messages, responses in roles `response_1`, `response_2`. These
    /// go unchanged through a model's own chat template when that template handles the roles.
    public var messages: [ChatMessage] {
        JudgeRequest.messages(system: system, history: history, responses: responses)
    }

    /// The same request with the two responses in the other order, for position-swap debiasing
    /// (see ``PositionSwap``).
    public func swapped() throws(RequestError) -> JudgeRequest {
        guard responses.count == 2 else { throw .cannotSwapOneResponse }
        return try JudgeRequest(system: system, history: history, responses: responses.reversed())
    }

    private static func messages(system: String?, history: [HistoryTurn], responses: [String]) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        if let system { messages.append(ChatMessage(role: "system", content: system)) }
        messages += history.map { ChatMessage(role: $0.speaker.rawValue, content: $0.content) }
        messages += responses.enumerated().map { ChatMessage(role: "response_\($0.offset + 1)", content: $0.element) }
        return messages
    }
}

/// A request is stored as `{"messages": [...]}` holding its judged text; decoding validates it
/// again and does not strip reasoning a second time.
extension JudgeRequest: Codable {
    private enum CodingKeys: String, CodingKey {
        case messages
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let messages = try container.decode([ChatMessage].self, forKey: .messages)
        do {
            try self.init(messages: messages, options: RequestOptions(stripsCandidateReasoning: false))
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .messages, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messages, forKey: .messages)
    }
}
