import Foundation
import JSON

/// A request body's fields, every error an OpenAI-style 400 naming the field.
typealias RequestFields = JSONFields<OpenAIError>

extension JSONFields where Failure == OpenAIError {
    /// Parses a request body; a body that is not a JSON object is a 400 naming the byte offset.
    static func parse(_ body: Data) throws(OpenAIError) -> RequestFields {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: body)
        } catch {
            throw .badRequest("the request body is not valid JSON: \(error)")
        }
        guard case .object(let object) = root else {
            throw .badRequest("the request body must be a JSON object, found \(root.kind)")
        }
        return RequestFields(object, failure: OpenAIError.init(field:))
    }
}

extension OpenAIError {
    /// The 400 for a field of the wrong type or range.
    init(field error: JSONFieldError) {
        self = .badRequest(error.description, param: error.param)
    }
}

extension JSONFields where Failure == OpenAIError {
    /// `n`, the choices per prompt: >= 1, default 1.
    func choiceCount() throws(OpenAIError) -> Int {
        let n = try int("n") ?? 1
        guard n >= 1 else { throw .badRequest("`n` = \(n) is out of range: must be >= 1", param: "n") }
        return n
    }

    /// `stream`, and `stream_options.include_usage`, which only a stream may carry.
    func streaming() throws(OpenAIError) -> (stream: Bool, includeUsage: Bool) {
        let stream = try bool("stream") ?? false
        guard let options = try nested("stream_options") else { return (stream, false) }
        guard stream else { throw .badRequest("`stream_options` is only allowed when `stream` is true", param: "stream_options") }
        return (stream, try options.bool("include_usage") ?? false)
    }

    /// A count of log-probability alternatives (`top_logprobs`, `logprobs`, `prompt_logprobs`):
    /// in [0, 20], as vLLM's `--max-logprobs` default allows.
    func logprobCount(_ key: String) throws(OpenAIError) -> Int? {
        guard let count = try int(key) else { return nil }
        guard (0...Self.maxLogprobs).contains(count) else {
            throw .badRequest("`\(key)` = \(count) is out of range: must be in [0, \(Self.maxLogprobs)]", param: key)
        }
        return count
    }

    static var maxLogprobs: Int { 20 }
}
