/// `/tokenize`'s answer, as vLLM writes it.
struct TokenizeResponse: Encodable, Sendable {
    var count: Int
    var maxModelLen: Int
    var tokens: [Int]
    /// The vocabulary's text of each token, when asked (null otherwise).
    var tokenStrs: [String]?

    private enum CodingKeys: String, CodingKey {
        case count, tokens
        case maxModelLen = "max_model_len"
        case tokenStrs = "token_strs"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(maxModelLen, forKey: .maxModelLen)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(tokenStrs, forKey: .tokenStrs)
    }
}

/// `/detokenize`'s answer: the text of the ids.
struct DetokenizeResponse: Encodable, Sendable {
    var prompt: String
}
