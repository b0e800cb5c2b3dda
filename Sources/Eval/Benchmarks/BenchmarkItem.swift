import GenRM

/// One benchmark item (a JudgeBench pair, an RM-Bench prompt, a HelpSteer3 record) and the
/// judgments the benchmark's protocol makes of it.
public struct BenchmarkItem: Sendable, Hashable {
    /// The item's key in results files: a pair_id, or `domain:id`.
    public var id: String
    /// One of the benchmark's categories (its column name).
    public var category: String
    public var judgments: [PlannedJudgment]

    public init(id: String, category: String, judgments: [PlannedJudgment]) {
        self.id = id
        self.category = category
        self.judgments = judgments
    }
}

/// One judgment to make: the request with its two responses in the order the judge sees them,
/// and where the reference-preferred response sits in that order.
public struct PlannedJudgment: Sendable, Hashable {
    /// "AB"/"BA" (JudgeBench game), "i-j" (RM-Bench styles), "12" (HelpSteer3).
    public var pair: String
    /// 1 or 2: the position of the response the benchmark's label prefers.
    public var chosenPosition: Int
    public var request: JudgeRequest

    public init(pair: String, chosenPosition: Int, request: JudgeRequest) {
        self.pair = pair
        self.chosenPosition = chosenPosition
        self.request = request
    }
}

/// A benchmark's items as loaded, and which of its categories the data did not have.
public struct BenchmarkData: Sendable {
    public var benchmark: Benchmark
    public var items: [BenchmarkItem]
    /// Categories without a single item in the data (RM-Bench's math split, for instance).
    public var missingCategories: [String]
    /// Records the loader left out on purpose, with the reason (HelpSteer3 ties).
    public var skipped: [String: Int]

    public init(benchmark: Benchmark, items: [BenchmarkItem], missingCategories: [String], skipped: [String: Int] = [:]) {
        self.benchmark = benchmark
        self.items = items
        self.missingCategories = missingCategories
        self.skipped = skipped
    }

    /// Keeps the items of `categories` (all when nil), then the first `limit` of them in data
    /// order (all when nil).
    public func selecting(categories: Set<String>?, limit: Int?) -> BenchmarkData {
        var selected = items
        if let categories { selected = selected.filter { categories.contains($0.category) } }
        if let limit { selected = Array(selected.prefix(limit)) }
        var copy = self
        copy.items = selected
        return copy
    }
}
