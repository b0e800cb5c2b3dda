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

        func encode(to encoder: any Encoder) throws {
            try CompletionJSON.encodeChoice(
                index: index, text: .message(role: "assistant", content: content, reasoningContent: reasoningContent),
                logprobs: logprobs, finishReason: finishReason, stopReason: stopReason, to: encoder)
        }
    }

    func encode(to encoder: any Encoder) throws {
        try CompletionJSON.encodeEnvelope(
            object: "chat.completion", id: id, created: created, model: model, choices: choices, usage: usage, to: encoder)
    }
}

/// JSON as the server writes it: UTF-8 unescaped, slashes kept.
enum ServerJSON {
    static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// `chatcmpl-` (`cmpl-` for text completions) plus 32 hex digits, like vLLM's ids.
    static func completionID(prefix: String = "chatcmpl-") -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// One server-sent event carrying `json`.
    static func serverSentEvent(_ json: Data) -> Data {
        Data("data: ".utf8) + json + Data("\n\n".utf8)
    }
}
