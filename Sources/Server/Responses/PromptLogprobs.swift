import Engine

/// vLLM's `prompt_logprobs`: one entry per prompt token, null for the first, else a map of token
/// id (as text) to `{logprob, rank, decoded_token}` holding the prompt's token and its likeliest
/// alternatives.
struct PromptLogprobs: Encodable, Sendable {
    var positions: [Position?]

    struct Position: Encodable, Sendable {
        var entries: [(id: Int, entry: Entry)]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: TextKey.self)
            for (id, entry) in entries { try container.encode(entry, forKey: TextKey(String(id))) }
        }
    }

    struct Entry: Encodable, Sendable {
        var logprob: Double
        var rank: Int
        var decodedToken: String

        private enum CodingKeys: String, CodingKey {
            case logprob, rank
            case decodedToken = "decoded_token"
        }
    }

    /// `promptLogprobs` holds the tokens after the first, each with its alternatives (the first
    /// `alternatives` are kept).
    init(_ promptLogprobs: [TokenLogprob], alternatives: Int) {
        positions = [nil] + promptLogprobs.map { item in
            var entries = [(item.token, Entry(logprob: max(item.logprob, LegacyLogprobs.floor), rank: item.rank, decodedToken: LegacyLogprobs.text(item.bytes)))]
            for (place, alternative) in item.top.prefix(alternatives).enumerated() where alternative.token != item.token {
                entries.append((alternative.token, Entry(
                    logprob: max(alternative.logprob, LegacyLogprobs.floor), rank: place + 1, decodedToken: LegacyLogprobs.text(alternative.bytes))))
            }
            return Position(entries: entries)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(positions)
    }
}
