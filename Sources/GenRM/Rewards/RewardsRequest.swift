import Foundation
import JSON

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
    /// The body's `model` field, for a server to check against what it serves.
    public var model: String?
    /// Pairs one request may schedule: `all_pairs` of 128 candidates (8,128), far beyond an RL
    /// group (NeMo-RL's are 4-16), before a request's pairs would be built by the million.
    public static let maxPairs = 8128

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
        let pairs = schedule.pairCount(candidates: candidates.count)
        guard pairs <= Self.maxPairs else {
            throw .field(
                "candidates",
                "\(candidates.count) candidates make \(pairs) \(schedule.rawValue) pairs, more than the \(Self.maxPairs) one request may judge")
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
    /// greedy for one vote, NVIDIA's 0.6 / 0.95 for several; `structured` and the budgets default
    /// to `base`'s.
    public init(json: Data, base: JudgeSettings = JudgeSettings()) throws(RewardsRequestError) {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: json)
        } catch {
            throw .invalidJSON("at byte \(error.offset): \(error.message)")
        }
        guard case .object(let object) = root else { throw .field("(body)", "must be a JSON object, found \(root.kind)") }
        let fields = JSONFields(object) { RewardsRequestError.field($0.field, $0.problem) }

        guard let turns = try fields.array("history") else {
            throw .field("history", "must be a list of {\"role\", \"content\"} messages, found \(object["history"]?.kind ?? "nothing")")
        }
        var history: [ChatMessage] = []
        for (index, turn) in turns.enumerated() {
            do {
                history.append(try ChatMessage.chatMessage(turn, index: index))
            } catch {
                throw .field("history", error.description)
            }
        }
        guard let candidates = try fields.strings("candidates") else {
            throw .field("candidates", "must be a list of response texts, found \(object["candidates"]?.kind ?? "nothing")")
        }
        let votes = try fields.int("votes") ?? 1
        let settings = try JudgeSettings(fields, votes: votes, base: base)
        let model = try fields.string("model")
        let keep = try fields.bool("keep_candidate_reasoning") ?? false
        try self.init(
            history: history, candidates: candidates, schedule: try fields.choice("schedule", PairSchedule.self) ?? .circular,
            swap: try fields.bool("swap") ?? false, votes: votes,
            aggregator: try fields.choice("aggregator", RewardAggregator.self) ?? .simpleTiebreaker, settings: settings,
            options: RequestOptions(stripsCandidateReasoning: !keep))
        self.model = model
    }
}
