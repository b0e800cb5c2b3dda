import Engine

/// The legacy completions `logprobs`: parallel lists `tokens`, `token_logprobs`, `top_logprobs`
/// (each a map of token text to log-probability: the token itself and its likeliest
/// alternatives, as vLLM writes it) and `text_offset` (characters before each token). An echoed
/// prompt's first token has no log-probability: null in both lists, as in vLLM and OpenAI.
struct LegacyLogprobs: Encodable, Sendable {
    var tokens: [String] = []
    var tokenLogprobs: [Double?] = []
    var topLogprobs: [TopLogprobs?] = []
    var textOffset: [Int] = []

    private enum CodingKeys: String, CodingKey {
        case tokens
        case tokenLogprobs = "token_logprobs"
        case topLogprobs = "top_logprobs"
        case textOffset = "text_offset"
    }

    /// vLLM writes -inf (a banned token) as this, which JSON can carry.
    static let floor = -9999.0

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// Token texts to log-probabilities in the order they were added, the first text kept when two
/// tokens spell the same.
struct TopLogprobs: Encodable, Sendable {
    var entries: [(text: String, logprob: Double)] = []

    mutating func add(_ text: String, _ logprob: Double) {
        guard !entries.contains(where: { $0.text == text }) else { return }
        entries.append((text, max(logprob, LegacyLogprobs.floor)))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TextKey.self)
        for entry in entries { try container.encode(entry.logprob, forKey: TextKey(entry.text)) }
    }
}

/// A JSON object key that is any text.
struct TextKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ text: String) { stringValue = text }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Builds one choice's `logprobs` piece by piece (a stream sends several); the text offsets run on
/// from one piece to the next.
struct LegacyLogprobsBuilder: Sendable {
    /// Alternatives per token (the request's `logprobs`).
    let alternatives: Int
    /// Characters before the next token.
    private var offset = 0

    init(alternatives: Int) {
        self.alternatives = alternatives
    }

    /// The echoed prompt: its first token without a log-probability, then each token under the
    /// ones before it (`promptLogprobs` holds the tokens after the first).
    mutating func prompt(_ ids: [Int], _ promptLogprobs: [TokenLogprob], tokenBytes: (Int) -> [UInt8]) -> LegacyLogprobs {
        var out = LegacyLogprobs()
        guard let first = ids.first else { return out }
        append(LegacyLogprobs.text(tokenBytes(first)), logprob: nil, top: nil, to: &out)
        add(promptLogprobs, to: &out)
        return out
    }

    /// Sampled tokens.
    mutating func sampled(_ logprobs: [TokenLogprob]) -> LegacyLogprobs {
        var out = LegacyLogprobs()
        add(logprobs, to: &out)
        return out
    }

    private mutating func add(_ logprobs: [TokenLogprob], to out: inout LegacyLogprobs) {
        for item in logprobs {
            let text = LegacyLogprobs.text(item.bytes)
            var top = TopLogprobs()
            top.add(text, item.logprob)
            for alternative in item.top.prefix(alternatives) { top.add(LegacyLogprobs.text(alternative.bytes), alternative.logprob) }
            append(text, logprob: max(item.logprob, LegacyLogprobs.floor), top: top, to: &out)
        }
    }

    private mutating func append(_ text: String, logprob: Double?, top: TopLogprobs?, to out: inout LegacyLogprobs) {
        out.tokens.append(text)
        out.tokenLogprobs.append(logprob)
        out.topLogprobs.append(top)
        out.textOffset.append(offset)
        offset += text.unicodeScalars.count
    }
}

extension LegacyLogprobs {
    /// `other`'s entries after these.
    mutating func append(_ other: LegacyLogprobs) {
        tokens += other.tokens
        tokenLogprobs += other.tokenLogprobs
        topLogprobs += other.topLogprobs
        textOffset += other.textOffset
    }
}
