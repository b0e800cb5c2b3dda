import Engine
import Foundation

/// A non-streamed chat completion (`object: "chat.completion"`).
struct ChatCompletionResponse: Encodable, Sendable {
    var id: String
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: Usage

    struct Choice: Encodable, Sendable {
        var index: Int
        var content: String?
        var reasoningContent: String?
        var logprobs: LogprobsContent?
        var finishReason: String
        var stopReason: StopReason?

        private enum CodingKeys: String, CodingKey {
            case index, message, logprobs
            case finishReason = "finish_reason"
            case stopReason = "stop_reason"
        }

        private enum MessageKeys: String, CodingKey {
            case role, content
            case reasoningContent = "reasoning_content"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            var message = container.nestedContainer(keyedBy: MessageKeys.self, forKey: .message)
            try message.encode("assistant", forKey: .role)
            try message.encode(content, forKey: .content)
            try message.encode(reasoningContent, forKey: .reasoningContent)
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
        try container.encode("chat.completion", forKey: .object)
        try container.encode(created, forKey: .created)
        try container.encode(model, forKey: .model)
        try container.encode(choices, forKey: .choices)
        try container.encode(usage, forKey: .usage)
    }
}

/// vLLM's `stop_reason`: the stop string, the stop token id, or null.
enum StopReasonJSON {
    static func encode<Key: CodingKey>(_ reason: StopReason?, into container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        switch reason {
        case .string(let text)?: try container.encode(text, forKey: key)
        case .token(let id)?: try container.encode(id, forKey: key)
        case nil: try container.encodeNil(forKey: key)
        }
    }
}

/// JSON as the server writes it: UTF-8 unescaped, slashes kept.
enum ServerJSON {
    static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// `chatcmpl-` plus 32 hex digits, like vLLM's ids.
    static func completionID() -> String {
        "chatcmpl-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}
