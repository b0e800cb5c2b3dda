import Foundation

/// What an OpenAI-compatible server answered for one generation, from either API
/// (`/v1/chat/completions` or the legacy `/v1/completions`), reduced to what the judge needs.
public struct GeneratedText: Sendable, Hashable {
    /// The output, with reasoning a server split off (`reasoning_content` / `reasoning`) joined
    /// back in front of `</think>`, so the GenRM parser sees what the model wrote.
    public var text: String
    /// Per generated token: its text and the top alternatives' log-probabilities, when asked for
    /// and given.
    public var tokens: [TokenAlternatives]?
    public var finishReason: String
    public var promptTokens: Int
    public var completionTokens: Int
}

/// One generated token and the server's `top_logprobs` at its position.
public struct TokenAlternatives: Sendable, Hashable {
    public var token: String
    public var logprob: Double
    /// (token text, log-probability), best first as the server listed them.
    public var top: [Alternative]

    public struct Alternative: Sendable, Hashable {
        public var token: String
        public var logprob: Double
    }
}

/// The JSON of the two OpenAI generation APIs, as vLLM, llama.cpp's server and `genrm serve`
/// speak them.
public enum OpenAIWire {
    /// The backend's own words from an error body: `{"error": {"message"}}` (OpenAI, vLLM,
    /// genrm), `{"detail": ...}` (FastAPI), `{"message"}`, else the text itself, shortened.
    public static func errorMessage(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let error = object["error"] as? String { return error }
            if let message = object["message"] as? String { return message }
            if let detail = object["detail"] {
                if let text = detail as? String { return text }
                if let data = try? JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]) {
                    return String(decoding: data, as: UTF8.self)
                }
            }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : text
    }

    /// A `/v1/chat/completions` answer's first choice.
    static func chatCompletion(_ body: Data, backend: String) throws -> GeneratedText {
        let (object, choice) = try firstChoice(body, backend: backend)
        guard let message = choice["message"] as? [String: Any] else {
            throw BackendFailure.malformed(backend: backend, reason: "choices[0] has no message")
        }
        let content = message["content"] as? String ?? ""
        let reasoning = (message["reasoning_content"] as? String) ?? (message["reasoning"] as? String)
        var tokens: [TokenAlternatives]?
        if let logprobs = choice["logprobs"] as? [String: Any], let entries = logprobs["content"] as? [[String: Any]] {
            tokens = entries.map { entry in
                let top = (entry["top_logprobs"] as? [[String: Any]] ?? []).compactMap { item -> TokenAlternatives.Alternative? in
                    guard let token = item["token"] as? String, let logprob = number(item["logprob"]) else { return nil }
                    return .init(token: token, logprob: logprob)
                }
                return TokenAlternatives(token: entry["token"] as? String ?? "", logprob: number(entry["logprob"]) ?? -.infinity, top: top)
            }
        }
        return GeneratedText(
            text: joined(reasoning: reasoning, content: content), tokens: tokens,
            finishReason: choice["finish_reason"] as? String ?? "stop",
            promptTokens: usage(object, "prompt_tokens"), completionTokens: usage(object, "completion_tokens"))
    }

    /// A legacy `/v1/completions` answer's first choice (`logprobs` as parallel lists).
    static func completion(_ body: Data, backend: String) throws -> GeneratedText {
        let (object, choice) = try firstChoice(body, backend: backend)
        guard let text = choice["text"] as? String else {
            throw BackendFailure.malformed(backend: backend, reason: "choices[0] has no text")
        }
        var tokens: [TokenAlternatives]?
        if let logprobs = choice["logprobs"] as? [String: Any], let names = logprobs["tokens"] as? [String] {
            let chosen = logprobs["token_logprobs"] as? [Any] ?? []
            let tops = logprobs["top_logprobs"] as? [Any] ?? []
            tokens = names.enumerated().map { index, token in
                let top = ((index < tops.count ? tops[index] : nil) as? [String: Any] ?? [:])
                    .compactMap { key, value in number(value).map { TokenAlternatives.Alternative(token: key, logprob: $0) } }
                    .sorted { $0.logprob > $1.logprob }
                return TokenAlternatives(token: token, logprob: index < chosen.count ? number(chosen[index]) ?? -.infinity : -.infinity, top: top)
            }
        }
        return GeneratedText(
            text: text, tokens: tokens, finishReason: choice["finish_reason"] as? String ?? "stop",
            promptTokens: usage(object, "prompt_tokens"), completionTokens: usage(object, "completion_tokens"))
    }

    /// Reasoning before `</think>`, then the content (vLLM's reasoning parser removed the tag).
    static func joined(reasoning: String?, content: String) -> String {
        guard let reasoning, !reasoning.isEmpty else { return content }
        return reasoning + "</think>" + content
    }

    private static func firstChoice(_ body: Data, backend: String) throws -> ([String: Any], [String: Any]) {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw BackendFailure.malformed(backend: backend, reason: "the body is not a JSON object")
        }
        guard let choices = object["choices"] as? [[String: Any]], let choice = choices.first else {
            throw BackendFailure.malformed(backend: backend, reason: "the answer has no choices")
        }
        return (object, choice)
    }

    private static func usage(_ object: [String: Any], _ key: String) -> Int {
        ((object["usage"] as? [String: Any])?[key] as? NSNumber)?.intValue ?? 0
    }

    private static func number(_ value: Any?) -> Double? {
        (value as? NSNumber)?.doubleValue
    }
}
