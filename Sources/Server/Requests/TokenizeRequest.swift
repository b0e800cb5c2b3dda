import Foundation

/// A `/tokenize` body (vLLM's): `prompt` text, or chat `messages` read as a chat completion reads
/// them (`add_generation_prompt`, `continue_final_message`, `chat_template_kwargs`, `tools`), so
/// that their ids are exactly what that chat request prefills.
struct TokenizeRequest: Sendable {
    enum Input: Sendable {
        case prompt(String)
        case chat(ChatCompletionRequest)
    }

    var model: String?
    var input: Input
    /// BOS as the model asks for it, before `prompt` (default true). Chat ids are the chat
    /// request's own, where BOS is already added when the model asks and the template did not.
    var addSpecialTokens: Bool
    /// Also the vocabulary's text of each token (vLLM's `token_strs`).
    var returnTokenStrs: Bool
    var unknownFields: [String]

    static let knownFields: Set<String> = ChatCompletionRequest.knownFields.union(["prompt", "add_special_tokens", "return_token_strs"])

    init(body: Data) throws(OpenAIError) {
        let fields = try RequestFields.parse(body)
        model = try fields.string("model")
        switch (fields.has("prompt"), fields.has("messages")) {
        case (true, true):
            throw .badRequest("give `prompt` or `messages`, not both", param: "prompt")
        case (true, false):
            input = .prompt(try fields.string(required: "prompt"))
        case (false, true):
            input = .chat(try ChatCompletionRequest(fields))
        case (false, false):
            throw .badRequest("the request has neither `prompt` nor `messages`: give the text or the chat to tokenize", param: "prompt")
        }
        addSpecialTokens = try fields.bool("add_special_tokens") ?? (fields.has("prompt"))
        returnTokenStrs = try fields.bool("return_token_strs") ?? false
        unknownFields = fields.unknownKeys(known: Self.knownFields)
    }
}

/// A `/detokenize` body: `tokens`, a list of token ids.
struct DetokenizeRequest: Sendable {
    var model: String?
    var tokens: [Int]

    init(body: Data) throws(OpenAIError) {
        let fields = try RequestFields.parse(body)
        model = try fields.string("model")
        guard fields.has("tokens") else { throw .badRequest("the request has no `tokens` field: give a list of token ids", param: "tokens") }
        tokens = try fields.ints("tokens") ?? []
    }
}
