import Engine

/// OpenAI's chat `logprobs`: `{"content": [{"token", "logprob", "bytes", "top_logprobs"}]}`.
struct LogprobsContent: Encodable, Sendable {
    var content: [Entry]

    init(_ logprobs: [TokenLogprob]) {
        content = logprobs.map { item in
            Entry(
                token: String(decoding: item.bytes, as: UTF8.self), logprob: item.logprob, bytes: item.bytes.map(Int.init),
                topLogprobs: item.top.map {
                    Alternative(token: String(decoding: $0.bytes, as: UTF8.self), logprob: $0.logprob, bytes: $0.bytes.map(Int.init))
                })
        }
    }

    struct Entry: Encodable, Sendable {
        var token: String
        var logprob: Double
        var bytes: [Int]
        var topLogprobs: [Alternative]

        private enum CodingKeys: String, CodingKey {
            case token, logprob, bytes
            case topLogprobs = "top_logprobs"
        }
    }

    struct Alternative: Encodable, Sendable {
        var token: String
        var logprob: Double
        var bytes: [Int]
    }
}
