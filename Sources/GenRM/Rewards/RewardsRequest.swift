import Foundation

/// A group of candidate responses to one conversation, to be turned into one reward each by
/// pairwise judging (`genrm rewards`, `POST /v1/rewards`; NeMo-RL's GenRM environment and NeMo
/// Gym's genrm_compare):
/// `{"history": [...], "candidates": ["...", ...], "schedule": "circular"|"all_pairs", "swap": bool,
/// "votes": n, "aggregator": "simple_tiebreaker"|"weighted_win_loss"|"individual_scores"}` plus
/// the judge's sampling fields (`temperature`, `top_p`, `top_k`, `min_p`, `seed`, `max_tokens`).
public struct RewardsRequest: Sendable, Hashable {
    /// The conversation: user/assistant turns (an optional leading system), ending with the user.
    public var history: [ChatMessage]
    /// The candidate responses, judged as text after their last `</think>` unless
    /// `keep_candidate_reasoning` is set (NVIDIA's RL code strips candidates' reasoning).
    public var candidates: [String]
    public var schedule: PairSchedule
    /// Also judge every pair in the other order.
    public var swap: Bool
    public var votes: Int
    public var aggregator: RewardAggregator
    public var settings: JudgeSettings
    public var options: RequestOptions

    public init(
        history: [ChatMessage], candidates: [String], schedule: PairSchedule = .circular, swap: Bool = false, votes: Int = 1,
        aggregator: RewardAggregator = .simpleTiebreaker, settings: JudgeSettings = JudgeSettings(),
        options: RequestOptions = RequestOptions()
    ) throws(RewardsRequestError) {
        self.history = history
        self.candidates = candidates
        self.schedule = schedule
        self.swap = swap
        self.votes = votes
        self.aggregator = aggregator
        self.settings = settings
        self.options = options
        try validate()
    }

    /// The judging request of candidates `first` and `second` as response 1 and 2.
    public func pairRequest(_ pair: CandidatePair) throws(RequestError) -> JudgeRequest {
        try JudgeRequest(
            messages: history + [
                ChatMessage(role: "response_1", content: candidates[pair.first]),
                ChatMessage(role: "response_2", content: candidates[pair.second]),
            ], options: options)
    }

    private func validate() throws(RewardsRequestError) {
        guard candidates.count >= 2 else {
            throw .field("candidates", "needs at least 2 candidates to compare, found \(candidates.count)")
        }
        guard votes >= 1 else { throw .field("votes", "votes = \(votes) is out of range: must be >= 1") }
        do {
            try settings.validate()
        } catch {
            throw .field(error.field, error.description)
        }
        do {
            _ = try pairRequest(CandidatePair(0, 1))
        } catch {
            throw .field("history", "invalid conversation: \(error)")
        }
    }
}

/// A rewards request that cannot be run, naming the field.
public enum RewardsRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidJSON(String)
    case field(String, String)

    /// The request field to blame (nil for a body that is not JSON).
    public var field: String? {
        switch self {
        case .invalidJSON: nil
        case .field(let field, _): field
        }
    }

    public var description: String {
        switch self {
        case .invalidJSON(let detail): "the rewards request is not valid JSON: \(detail)"
        case .field(let field, let problem): "`\(field)`: \(problem)"
        }
    }
}

extension RewardsRequest {
    /// Reads the JSON body; every shape error names its field. Sampling defaults as the judge's:
    /// greedy for one vote, NVIDIA's 0.6 / 0.95 for several.
    public init(json: Data) throws(RewardsRequestError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: json)
        } catch {
            throw .invalidJSON(JSONErrorText.describe(json, decodingError: error))
        }
        guard case .object(let fields) = root else { throw .field("(body)", "must be a JSON object, found \(root.kind)") }
        let reader = Fields(fields: fields)

        guard case .array(let turns)? = fields["history"] else {
            throw .field("history", "must be a list of {\"role\", \"content\"} messages, found \(fields["history"]?.kind ?? "nothing")")
        }
        var history: [ChatMessage] = []
        for (index, turn) in turns.enumerated() {
            do {
                history.append(try ChatMessage.chatMessage(turn, index: index))
            } catch {
                throw .field("history", error.description)
            }
        }
        guard case .array(let items)? = fields["candidates"] else {
            throw .field("candidates", "must be a list of response texts, found \(fields["candidates"]?.kind ?? "nothing")")
        }
        var candidates: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else { throw .field("candidates", "candidates[\(index)] must be a string, found \(item.kind)") }
            candidates.append(text)
        }
        let schedule = try reader.choice("schedule", PairSchedule.self) ?? .circular
        let aggregator = try reader.choice("aggregator", RewardAggregator.self) ?? .simpleTiebreaker
        let votes = try reader.int("votes") ?? 1
        let sampled = votes > 1
        var settings = JudgeSettings(
            temperature: try reader.double("temperature") ?? (sampled ? JudgeSettings.sampled.temperature : 0),
            topP: try reader.double("top_p") ?? (sampled ? JudgeSettings.sampled.topP : 1))
        settings.topK = try reader.int("top_k") ?? 0
        settings.minP = try reader.double("min_p") ?? 0
        if let seed = try reader.int("seed") {
            guard seed >= 0 else { throw .field("seed", "seed = \(seed) is out of range: must be >= 0") }
            settings.seed = UInt64(seed)
        }
        settings.maxTokens = try reader.int("max_tokens")
        if let structured = try reader.bool("structured") { settings.structured = structured }
        if let budget = try reader.int("reasoning_tokens") { settings.reasoningTokens = budget }
        if let budget = try reader.int("analysis_tokens") { settings.analysisTokens = budget }
        let keep = try reader.bool("keep_candidate_reasoning") ?? false
        try self.init(
            history: history, candidates: candidates, schedule: schedule, swap: try reader.bool("swap") ?? false, votes: votes,
            aggregator: aggregator, settings: settings, options: RequestOptions(stripsCandidateReasoning: !keep))
    }

    /// Typed reads of the body's fields, each error naming the field.
    private struct Fields {
        let fields: [String: JSONValue]

        func value(_ key: String) -> JSONValue? {
            guard let value = fields[key], value != .null else { return nil }
            return value
        }

        func int(_ key: String) throws(RewardsRequestError) -> Int? {
            guard let value = value(key) else { return nil }
            guard case .number(let number) = value, number.rounded() == number, abs(number) < 9.0e15 else {
                throw .field(key, "must be an integer, found \(value.kind)")
            }
            return Int(number)
        }

        func double(_ key: String) throws(RewardsRequestError) -> Double? {
            guard let value = value(key) else { return nil }
            guard case .number(let number) = value else { throw .field(key, "must be a number, found \(value.kind)") }
            return number
        }

        func bool(_ key: String) throws(RewardsRequestError) -> Bool? {
            guard let value = value(key) else { return nil }
            guard case .bool(let flag) = value else { throw .field(key, "must be true or false, found \(value.kind)") }
            return flag
        }

        func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) throws(RewardsRequestError) -> T? where T.RawValue == String {
            guard let value = value(key) else { return nil }
            let names = T.allCases.map(\.rawValue)
            guard case .string(let text) = value, let chosen = T(rawValue: text) else {
                throw .field(key, "must be one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), found \(value.kind)")
            }
            return chosen
        }
    }
}
