import ChatTemplates
import Foundation
import GenRM

/// A `/v1/chat/completions` body, read field by field (see docs/OPENAI-API.md): every present
/// field is type- and range-checked with a 400 naming it; unknown fields are kept aside for the
/// log, never rejected.
struct ChatCompletionRequest: Sendable {
    var model: String?
    /// The messages as role + text (text parts joined).
    var chatMessages: [ChatMessage]
    /// vLLM's defaults where a field is absent: temperature 1, top-p 1, no top-k or min-p, and a
    /// fresh random seed.
    var sampling: SamplingParameters
    /// The cap on generated tokens, and which field gave it (`max_completion_tokens` or `max_tokens`).
    var maxTokens: Int?
    var maxTokensField: String
    var n: Int
    var stop: [String]
    var stopTokenIDs: [Int]
    var stream: Bool
    var includeUsage: Bool
    var logprobs: Bool
    var topLogprobs: Int?
    var chatTemplateKwargs: TemplateObject
    /// The messages as sent, content parts joined, for the chat template (keys beyond role and
    /// content included).
    var templateMessages: [TemplateObject]
    /// The template's `tools` (OpenAI function definitions), passed through.
    var tools: [TemplateValue]?
    var addGenerationPrompt: Bool
    /// Leave the final message open (vLLM's `continue_final_message`): the model continues it.
    var continueFinalMessage: Bool
    var skipSpecialTokens: Bool
    var unknownFields: [String]

    static let knownFields: Set<String> = [
        "model", "messages", "temperature", "top_p", "top_k", "min_p", "n", "seed", "max_tokens",
        "max_completion_tokens", "stop", "stop_token_ids", "stream", "stream_options", "logprobs", "top_logprobs",
        "chat_template_kwargs", "add_generation_prompt", "continue_final_message", "skip_special_tokens", "logit_bias", "tools",
        "presence_penalty", "frequency_penalty", "repetition_penalty", "min_tokens",
    ]

    init(body: Data) throws(OpenAIError) {
        try self.init(RequestFields.parse(body))
    }

    init(_ fields: RequestFields) throws(OpenAIError) {
        model = try fields.string("model")
        guard let list = try fields.array("messages") else {
            throw .badRequest("the request has no `messages` field: give the conversation as a list of messages", param: "messages")
        }
        guard !list.isEmpty else { throw .badRequest("`messages` is empty: give at least one message", param: "messages") }
        var chat: [ChatMessage] = []
        var objects: [TemplateObject] = []
        for (index, item) in list.enumerated() {
            let (message, object) = try Self.message(item, index: index)
            chat.append(message)
            objects.append(object)
        }
        chatMessages = chat
        templateMessages = objects
        tools = try fields.array("tools")
        if let bad = tools?.firstIndex(where: { if case .object = $0 { false } else { true } }) {
            throw .badRequest("`tools[\(bad)]` must be an object (a function definition), found \(tools![bad].kind)", param: "tools")
        }
        sampling = try SamplingParameters(fields, defaults: Self.defaultSampling)
        (maxTokens, maxTokensField) = try fields.maxTokens()
        try fields.checkMinTokens(sampling.minTokens, against: maxTokens, field: maxTokensField)
        n = try fields.choiceCount()
        stop = try fields.stringOrStrings("stop") ?? []
        stopTokenIDs = try fields.ints("stop_token_ids") ?? []
        (stream, includeUsage) = try fields.streaming()
        logprobs = try fields.bool("logprobs") ?? false
        topLogprobs = try fields.logprobCount("top_logprobs")
        if topLogprobs != nil, !logprobs {
            throw .badRequest("`top_logprobs` needs `logprobs` set to true", param: "top_logprobs")
        }
        chatTemplateKwargs = try fields.object("chat_template_kwargs") ?? TemplateObject()
        addGenerationPrompt = try fields.bool("add_generation_prompt") ?? true
        continueFinalMessage = try fields.bool("continue_final_message") ?? false
        if continueFinalMessage, addGenerationPrompt {
            throw .badRequest(
                "`continue_final_message` needs `add_generation_prompt` set to false (it defaults to true): a final message cannot be both continued and followed by a new turn",
                param: "continue_final_message")
        }
        skipSpecialTokens = try fields.bool("skip_special_tokens") ?? true
        unknownFields = fields.unknownKeys(known: Self.knownFields)
    }

    /// vLLM's sampling where a request sets none (temperature 1, top-p 1), seeded afresh.
    static var defaultSampling: SamplingParameters {
        SamplingParameters(temperature: 1, seed: UInt64.random(in: 0...UInt64.max))
    }

    /// Whether the messages use the GenRM response roles (then the request is a judging request).
    var isJudging: Bool {
        chatMessages.contains { $0.role == "response_1" || $0.role == "response_2" }
    }

    /// One message: `role` a string, `content` a string or a list of text parts (joined with a
    /// newline, as vLLM joins them) or null.
    private static func message(_ item: TemplateValue, index: Int) throws(OpenAIError) -> (ChatMessage, TemplateObject) {
        let field = "messages[\(index)]"
        guard case .object(let object) = item else {
            throw .badRequest("`\(field)` must be an object {\"role\", \"content\"}, found \(item.kind)", param: "messages")
        }
        guard let roleValue = object["role"] else { throw .badRequest("`\(field)` has no `role`", param: "messages") }
        guard case .string(let role) = roleValue else {
            throw .badRequest("`\(field).role` must be a string, found \(roleValue.kind)", param: "messages")
        }
        let text: String
        switch object["content"] {
        case .string(let content)?:
            text = content
        case .null?, nil:
            text = ""
        case .array(let parts)?:
            var pieces: [String] = []
            for (partIndex, part) in parts.enumerated() {
                guard case .string(let kind)? = part["type"], kind == "text", case .string(let piece)? = part["text"] else {
                    throw .badRequest(
                        "`\(field).content[\(partIndex)]` must be a text part {\"type\": \"text\", \"text\": ...}; only text is supported",
                        param: "messages")
                }
                pieces.append(piece)
            }
            text = pieces.joined(separator: "\n")
        case let other?:
            throw .badRequest("`\(field).content` must be a string or a list of text parts, found \(other.kind)", param: "messages")
        }
        // The template sees the text: parts joined, and null or absent content as "" (vLLM's
        // reading), so a template's `message['content']` never meets a hole.
        var whole = object
        if object["content"] != .string(text) { whole["content"] = .string(text) }
        return (ChatMessage(role: role, content: text), whole)
    }
}
