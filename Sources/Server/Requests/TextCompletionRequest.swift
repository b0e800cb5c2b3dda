import Foundation
import GenRM
import JSON

/// A `/v1/completions` body (OpenAI's legacy completions with vLLM's fields), read field by field:
/// every present field is type- and range-checked with a 400 naming it; unknown fields are kept
/// aside for the log, never rejected.
struct TextCompletionRequest: Sendable {
    var model: String?
    /// One or more prompts; each is completed `n` times (choice `index` = prompt * n + choice).
    var prompts: [CompletionPrompt]
    /// vLLM's defaults where a field is absent: temperature 1, top-p 1, a fresh random seed.
    var sampling: SamplingParameters
    /// The cap on generated tokens per choice: 16 when absent (OpenAI's and vLLM's default), what
    /// the context leaves when null, 0 only with `echo`.
    var maxTokens: Int?
    var n: Int
    var stop: [String]
    var stopTokenIDs: [Int]
    var skipSpecialTokens: Bool
    /// The log-probability of each token and this many alternatives (the legacy `logprobs`).
    var logprobs: Int?
    /// The prompt comes back in front of the text (and in `logprobs`, with `logprobs`).
    var echo: Bool
    /// vLLM's `prompt_logprobs`: every prompt token's log-probability and this many alternatives.
    var promptLogprobs: Int?
    /// BOS as the model asks for it, before a prompt given as text.
    var addSpecialTokens: Bool
    var stream: Bool
    var includeUsage: Bool
    var unknownFields: [String]

    static let knownFields: Set<String> = [
        "model", "prompt", "temperature", "top_p", "top_k", "min_p", "n", "seed", "max_tokens", "stop", "stop_token_ids",
        "skip_special_tokens", "logit_bias", "logprobs", "echo", "prompt_logprobs", "add_special_tokens", "stream",
        "stream_options", "presence_penalty", "frequency_penalty", "repetition_penalty", "min_tokens",
    ]

    /// The `max_tokens` OpenAI and vLLM apply when the field is absent.
    static let defaultMaxTokens = 16

    init(body: Data) throws(OpenAIError) {
        try self.init(RequestFields.parse(body))
    }

    init(_ fields: RequestFields) throws(OpenAIError) {
        model = try fields.string("model")
        prompts = try CompletionPrompt.list(fields)
        sampling = try SamplingParameters(fields, defaults: ChatCompletionRequest.defaultSampling)
        echo = try fields.bool("echo") ?? false
        if let given = try fields.int("max_tokens") {
            guard given >= 1 || (given == 0 && echo) else {
                throw .badRequest(
                    "`max_tokens` = \(given) is out of range: must be >= 1 (0 only with `echo`: the prompt alone)", param: "max_tokens")
            }
            maxTokens = given
        } else {
            maxTokens = fields.object["max_tokens"] == nil ? Self.defaultMaxTokens : nil
        }
        try fields.checkMinTokens(sampling.minTokens, against: maxTokens, field: "max_tokens")
        n = try fields.choiceCount()
        stop = try fields.stringOrStrings("stop") ?? []
        stopTokenIDs = try fields.ints("stop_token_ids") ?? []
        skipSpecialTokens = try fields.bool("skip_special_tokens") ?? true
        logprobs = try fields.logprobCount("logprobs")
        promptLogprobs = try fields.logprobCount("prompt_logprobs")
        addSpecialTokens = try fields.bool("add_special_tokens") ?? true
        (stream, includeUsage) = try fields.streaming()
        if stream, promptLogprobs != nil {
            throw .badRequest("`prompt_logprobs` is not available when `stream` is true", param: "prompt_logprobs")
        }
        unknownFields = fields.unknownKeys(known: Self.knownFields)
    }

    /// Alternatives the engine reads out per prompt token: enough for the echoed `logprobs` and
    /// for `prompt_logprobs`; nil when neither needs the prompt's.
    var promptAlternatives: Int? {
        [echo ? logprobs : nil, promptLogprobs].compactMap { $0 }.max()
    }
}

/// One prompt of a completions request: text (tokenized by the server, special tokens parsed as
/// vLLM does) or token ids.
enum CompletionPrompt: Sendable, Equatable {
    case text(String)
    case tokens([Int])

    /// `prompt`: a string, a list of strings, a list of token ids or a list of such lists.
    static func list(_ fields: RequestFields) throws(OpenAIError) -> [CompletionPrompt] {
        guard let value = fields.value("prompt") else {
            throw .badRequest("the request has no `prompt` field: give a string, a list of strings or token ids", param: "prompt")
        }
        let shape = "must be a string, a list of strings, a list of token ids or a list of token-id lists"
        if case .string(let text) = value { return [.text(text)] }
        guard case .array(let items) = value else { throw .badRequest("`prompt` \(shape), found \(value.kind)", param: "prompt") }
        guard let first = items.first else { throw .badRequest("`prompt` is an empty list: give at least one prompt", param: "prompt") }
        switch first {
        case .string:
            return try items.enumerated().map { (index, item) throws(OpenAIError) in
                guard case .string(let text) = item else {
                    throw .badRequest("`prompt[\(index)]` must be a string like `prompt[0]`, found \(item.kind)", param: "prompt")
                }
                return .text(text)
            }
        case .array:
            return try items.enumerated().map { (index, item) throws(OpenAIError) in
                guard case .array(let ids) = item else {
                    throw .badRequest("`prompt[\(index)]` must be a list of token ids like `prompt[0]`, found \(item.kind)", param: "prompt")
                }
                return .tokens(try tokenIDs(ids, field: "prompt[\(index)]"))
            }
        default:
            return [.tokens(try tokenIDs(items, field: "prompt"))]
        }
    }

    private static func tokenIDs(_ items: [JSONValue], field: String) throws(OpenAIError) -> [Int] {
        guard !items.isEmpty else { throw .badRequest("`\(field)` is an empty list of token ids", param: "prompt") }
        return try items.enumerated().map { (index, item) throws(OpenAIError) in
            guard let id = item.integer, id >= 0 else {
                throw .badRequest("`\(field)[\(index)]` must be a token id (an integer >= 0), found \(item.kind)", param: "prompt")
            }
            return id
        }
    }
}
