import Engine

/// One server-sent event of a streamed chat completion (`object: "chat.completion.chunk"`).
struct ChatCompletionChunk: Encodable, Sendable {
    var id: String
    var created: Int
    var model: String
    var choices: [Choice]
    /// Only on the last chunk, when `stream_options.include_usage` asked for it.
    var usage: Usage?

    struct Choice: Encodable, Sendable {
        var index: Int
        var role: String?
        var content: String?
        var reasoningContent: String?
        var logprobs: LogprobsContent?
        var finishReason: String?
        var stopReason: StopReason?

        func encode(to encoder: any Encoder) throws {
            try CompletionJSON.encodeChoice(
                index: index, text: .delta(role: role, content: content, reasoningContent: reasoningContent), logprobs: logprobs,
                finishReason: finishReason, stopReason: stopReason, to: encoder)
        }
    }

    func encode(to encoder: any Encoder) throws {
        try CompletionJSON.encodeEnvelope(
            object: "chat.completion.chunk", id: id, created: created, model: model, choices: choices, usage: usage, to: encoder)
    }
}
