import Engine

/// A `/v1/completions` answer (`object: "text_completion"`), whole or as one streamed chunk: the
/// same layout, a chunk carrying only what is new (and `usage` only on the last, when asked).
struct TextCompletionResponse: Encodable, Sendable {
    var header: StreamHeader
    var choices: [Choice]
    var usage: Usage?

    struct Choice: Encodable, Sendable {
        var index: Int
        var text: String
        var logprobs: LegacyLogprobs?
        /// Null until the choice ends (in a stream, on its last chunk).
        var finishReason: String?
        var stopReason: StopReason?
        var promptLogprobs: PromptLogprobs?

        private enum CodingKeys: String, CodingKey {
            case index, text, logprobs
            case finishReason = "finish_reason"
            case stopReason = "stop_reason"
            case promptLogprobs = "prompt_logprobs"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(text, forKey: .text)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
            try CompletionJSON.encode(stopReason, forKey: .stopReason, in: &container)
            try container.encode(promptLogprobs, forKey: .promptLogprobs)
        }
    }

    func encode(to encoder: any Encoder) throws {
        try CompletionJSON.encodeEnvelope(
            object: "text_completion", id: header.id, created: header.created, model: header.model, choices: choices, usage: usage,
            to: encoder)
    }
}
