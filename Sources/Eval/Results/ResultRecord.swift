import JSON

/// One line of a results file: one judgment of one benchmark item, with everything the report
/// needs to score it (the report reads nothing else). Field names are the file's keys.
public struct ResultRecord: Sendable, Hashable {
    public var benchmark: Benchmark
    /// The item's key: a JudgeBench pair_id, or `domain:id`.
    public var item: String
    /// The item's category, one of `benchmark.categories`.
    public var category: String
    /// "AB"/"BA" (JudgeBench game), "i-j" (RM-Bench chosen style i vs rejected style j), "12"
    /// (HelpSteer3).
    public var pair: String
    /// 1 or 2: where the reference-preferred response was placed.
    public var chosenPosition: Int
    /// Mean ranking over the parsed votes (1-6, 3.5 = no preference); nil when none parsed.
    public var ranking: Double?
    /// The ranking of each parsed vote, in the judged order (swapped votes mapped back).
    public var votes: [Int]
    /// Mean helpfulness of the responses in positions 1 and 2; nil when no vote parsed.
    public var scores: [Double]?
    /// Votes whose output could not be parsed (all of them when `error` is set).
    public var failures: Int
    public var model: String
    public var seed: UInt64?
    /// The mean of the votes' expected rankings read from the score probabilities, when the
    /// backend reads them out (structured decoding).
    public var expectedRanking: Double?
    /// Why the backend could not judge this item at all; a later line for the same judgment
    /// supersedes a line with an error (resume retries them).
    public var error: String?

    public init(
        benchmark: Benchmark, item: String, category: String, pair: String, chosenPosition: Int, ranking: Double?,
        votes: [Int], scores: [Double]?, failures: Int, model: String, seed: UInt64?,
        expectedRanking: Double? = nil, error: String? = nil
    ) {
        self.benchmark = benchmark
        self.item = item
        self.category = category
        self.pair = pair
        self.chosenPosition = chosenPosition
        self.ranking = ranking
        self.votes = votes
        self.scores = scores
        self.failures = failures
        self.model = model
        self.seed = seed
        self.expectedRanking = expectedRanking
        self.error = error
    }

    public var key: ResultKey { ResultKey(item: item, pair: pair) }

    /// 1 or 2 when the ranking prefers a position; nil for 3.5 (no preference) or no parse.
    public var preferredPosition: Int? {
        guard let ranking else { return nil }
        return ranking < 3.5 ? 1 : ranking > 3.5 ? 2 : nil
    }

    /// The judgment prefers the reference-preferred response (a tie or a failure does not).
    public var prefersChosen: Bool { preferredPosition == chosenPosition }

    /// The judgment prefers the other response.
    public var prefersRejected: Bool { preferredPosition.map { $0 != chosenPosition } ?? false }
}

/// A judgment's identity in a results file: the item and the pair (game, style pairing).
public struct ResultKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var item: String
    public var pair: String

    public init(item: String, pair: String) {
        self.item = item
        self.pair = pair
    }

    public var description: String { "item \"\(item)\" pair \"\(pair)\"" }

    public static func < (lhs: ResultKey, rhs: ResultKey) -> Bool {
        (lhs.item, lhs.pair) < (rhs.item, rhs.pair)
    }
}

extension ResultRecord {
    /// Reads one results line's fields; a missing or mistyped field fails naming the field and
    /// what it must hold (`"votes": [3.5]` is "`votes[0]` must be an integer, found 3.5").
    init<Failure>(_ fields: JSONFields<Failure>) throws(Failure) {
        guard let benchmark = try fields.choice("benchmark", Benchmark.self) else { throw fields.fail("benchmark", "is missing") }
        self.benchmark = benchmark
        item = try fields.string(required: "item")
        category = try fields.string(required: "category")
        pair = try fields.string(required: "pair")
        chosenPosition = try fields.int(required: "chosen_position")
        ranking = try fields.double("ranking")
        votes = try fields.ints("votes") ?? []
        scores = try fields.doubles("scores")
        failures = try fields.int("failures") ?? 0
        model = try fields.string("model") ?? ""
        if let seed = try fields.int("seed") {
            guard seed >= 0 else { throw fields.fail("seed", "must be an unsigned integer or null, found \(seed)") }
            self.seed = UInt64(seed)
        } else {
            seed = nil
        }
        expectedRanking = try fields.double("expected_ranking")
        error = try fields.string("error")
    }
}

extension ResultRecord: Encodable {
    private enum CodingKeys: String, CodingKey {
        case benchmark, item, category, pair
        case chosenPosition = "chosen_position"
        case ranking, votes, scores, failures, model, seed
        case expectedRanking = "expected_ranking"
        case error
    }

    /// Every documented field is written, null where there is no value; the optional extras
    /// (`expected_ranking`, `error`) only when present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(benchmark, forKey: .benchmark)
        try container.encode(item, forKey: .item)
        try container.encode(category, forKey: .category)
        try container.encode(pair, forKey: .pair)
        try container.encode(chosenPosition, forKey: .chosenPosition)
        try container.encode(ranking, forKey: .ranking)
        try container.encode(votes, forKey: .votes)
        try container.encode(scores, forKey: .scores)
        try container.encode(failures, forKey: .failures)
        try container.encode(model, forKey: .model)
        try container.encode(seed, forKey: .seed)
        try container.encodeIfPresent(expectedRanking, forKey: .expectedRanking)
        try container.encodeIfPresent(error, forKey: .error)
    }

    /// The rules a line must keep beyond its JSON types; the first broken one, naming the field.
    func violation() -> (field: String, reason: String)? {
        guard benchmark.categories.contains(category) else {
            return ("category", "\"\(category)\" is not a \(benchmark.displayName) category (\(benchmark.categories.joined(separator: ", ")))")
        }
        guard benchmark.isValidPair(pair) else { return ("pair", "\"\(pair)\" is not a \(benchmark.displayName) pair") }
        guard chosenPosition == 1 || chosenPosition == 2 else { return ("chosen_position", "must be 1 or 2, found \(chosenPosition)") }
        if let ranking, !(ranking.isFinite && ranking >= 1 && ranking <= 6) {
            return ("ranking", "must be in 1...6 or null, found \(ranking)")
        }
        if let bad = votes.first(where: { !(1...6).contains($0) }) { return ("votes", "rankings must be in 1...6, found \(bad)") }
        guard failures >= 0 else { return ("failures", "must be >= 0, found \(failures)") }
        guard item.isEmpty == false else { return ("item", "must not be empty") }
        return nil
    }
}
