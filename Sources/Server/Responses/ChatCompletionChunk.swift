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

        private enum CodingKeys: String, CodingKey {
            case index, delta, logprobs
            case finishReason = "finish_reason"
            case stopReason = "stop_reason"
        }

        private enum DeltaKeys: String, CodingKey {
            case role, content
            case reasoningContent = "reasoning_content"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            var delta = container.nestedContainer(keyedBy: DeltaKeys.self, forKey: .delta)
            try delta.encodeIfPresent(role, forKey: .role)
            try delta.encodeIfPresent(content, forKey: .content)
            try delta.encodeIfPresent(reasoningContent, forKey: .reasoningContent)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
            try StopReasonJSON.encode(stopReason, into: &container, forKey: .stopReason)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("chat.completion.chunk", forKey: .object)
        try container.encode(created, forKey: .created)
        try container.encode(model, forKey: .model)
        try container.encode(choices, forKey: .choices)
        try container.encodeIfPresent(usage, forKey: .usage)
    }
}
