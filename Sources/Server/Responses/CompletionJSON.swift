import Engine

/// The JSON layout shared by chat and text completions and their streamed chunks: the envelope
/// (`id`, `object`, `created`, `model`, `choices`, `usage`) and each choice's fields around its
/// `message` (whole) or `delta` (what is new).
enum CompletionJSON {
    private enum EnvelopeKeys: String, CodingKey {
        case id, object, created, model, choices, usage
    }

    private enum ChoiceKeys: String, CodingKey {
        case index, message, delta, logprobs
        case finishReason = "finish_reason"
        case stopReason = "stop_reason"
    }

    private enum TextKeys: String, CodingKey {
        case role, content
        case reasoningContent = "reasoning_content"
    }

    /// A choice's text: a `message` writes every field (null when absent), a `delta` only those
    /// present.
    enum Text {
        case message(role: String, content: String?, reasoningContent: String?)
        case delta(role: String?, content: String?, reasoningContent: String?)
    }

    static func encodeEnvelope(
        object: String, id: String, created: Int, model: String, choices: some Encodable, usage: Usage?, to encoder: any Encoder
    ) throws {
        var container = encoder.container(keyedBy: EnvelopeKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(object, forKey: .object)
        try container.encode(created, forKey: .created)
        try container.encode(model, forKey: .model)
        try container.encode(choices, forKey: .choices)
        try container.encodeIfPresent(usage, forKey: .usage)
    }

    static func encodeChoice(
        index: Int, text: Text, logprobs: LogprobsContent?, finishReason: String?, stopReason: StopReason?, to encoder: any Encoder
    ) throws {
        var container = encoder.container(keyedBy: ChoiceKeys.self)
        try container.encode(index, forKey: .index)
        switch text {
        case .message(let role, let content, let reasoning):
            var message = container.nestedContainer(keyedBy: TextKeys.self, forKey: .message)
            try message.encode(role, forKey: .role)
            try message.encode(content, forKey: .content)
            try message.encode(reasoning, forKey: .reasoningContent)
        case .delta(let role, let content, let reasoning):
            var delta = container.nestedContainer(keyedBy: TextKeys.self, forKey: .delta)
            try delta.encodeIfPresent(role, forKey: .role)
            try delta.encodeIfPresent(content, forKey: .content)
            try delta.encodeIfPresent(reasoning, forKey: .reasoningContent)
        }
        try container.encode(logprobs, forKey: .logprobs)
        try container.encode(finishReason, forKey: .finishReason)
        try encode(stopReason, forKey: .stopReason, in: &container)
    }

    /// vLLM's `stop_reason`: the stop string, the stop token id, or null.
    static func encode<Key: CodingKey>(_ stopReason: StopReason?, forKey key: Key, in container: inout KeyedEncodingContainer<Key>) throws {
        switch stopReason {
        case .string(let text)?: try container.encode(text, forKey: key)
        case .token(let id)?: try container.encode(id, forKey: key)
        case nil: try container.encodeNil(forKey: key)
        }
    }
}
