/// A benchmark's official metrics computed from a results file, with what a reader needs to
/// trust them: item counts, parse failures, errors, and the categories without results.
public struct EvalReport: Sendable, Hashable {
    public var benchmark: Benchmark
    /// Percent (0-100, unrounded) by column name; a column is absent when it cannot be computed
    /// (no results for the category, or an RM-Bench matrix with an empty cell).
    public var metrics: [String: Double]
    /// Items (pairs, prompts, records) per category, and in all under "Overall".
    public var counts: [String: Int]
    /// Lines that count (one per judgment).
    public var judgments: Int
    /// Votes whose output could not be parsed, over all judgments.
    public var failures: Int
    /// Judgments without a single parsed vote (scored as losses / no decision).
    public var unparsedJudgments: Int
    /// Judgments the backend could not make at all (recorded with an error).
    public var errors: Int
    /// The benchmark's categories without a single result.
    public var missing: [String]
    public var models: [String]
    /// Per RM-Bench domain, its 3x3 matrix.
    public var matrices: [String: StyleMatrix]
    /// Remarks on partial data (incomplete items, a torn last line).
    public var notes: [String]

    public init(
        benchmark: Benchmark, metrics: [String: Double], counts: [String: Int], judgments: Int, failures: Int,
        unparsedJudgments: Int, errors: Int, missing: [String], models: [String], matrices: [String: StyleMatrix] = [:],
        notes: [String] = []
    ) {
        self.benchmark = benchmark
        self.metrics = metrics
        self.counts = counts
        self.judgments = judgments
        self.failures = failures
        self.unparsedJudgments = unparsedJudgments
        self.errors = errors
        self.missing = missing
        self.models = models
        self.matrices = matrices
        self.notes = notes
    }

    /// A metric as published: percent rounded to two decimals.
    public func rounded(_ column: String) -> Double? {
        metrics[column].map(Self.roundedPercent)
    }

    public static func roundedPercent(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}

/// Scores a results file's judgments by the benchmark's official rules.
public enum EvalScoring {
    public static func report(_ file: ResultsFile) throws(ResultsFileError) -> EvalReport {
        let records = try file.judgments()
        guard let first = records.first else { throw .empty(path: file.path) }
        var report: EvalReport
        switch first.benchmark {
        case .judgeBench: report = JudgeBenchScoring.report(records)
        case .rmBench: report = RMBenchScoring.report(records)
        case .helpSteer3: report = HelpSteer3Scoring.report(records)
        }
        if file.tornBytes > 0 {
            report.notes.append("a torn last line (\(file.tornBytes) bytes, a judgment being written) was left out")
        }
        return report
    }

    /// The parts every benchmark reports the same way.
    static func common(_ benchmark: Benchmark, _ records: [ResultRecord]) -> EvalReport {
        let present = Set(records.map(\.category))
        var models: [String] = []
        for record in records where !models.contains(record.model) { models.append(record.model) }
        return EvalReport(
            benchmark: benchmark, metrics: [:], counts: [:], judgments: records.count,
            failures: records.reduce(0) { $0 + $1.failures },
            unparsedJudgments: records.filter { $0.ranking == nil }.count,
            errors: records.filter { $0.error != nil }.count,
            missing: benchmark.categories.filter { !present.contains($0) }, models: models)
    }

    /// Records grouped by item, items in order of first appearance.
    static func byItem(_ records: [ResultRecord]) -> [(item: String, records: [ResultRecord])] {
        var order: [String] = []
        var groups: [String: [ResultRecord]] = [:]
        for record in records {
            if groups[record.item] == nil { order.append(record.item) }
            groups[record.item, default: []].append(record)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    static func percent(_ part: Int, of whole: Int) -> Double {
        Double(part) / Double(whole) * 100
    }
}
