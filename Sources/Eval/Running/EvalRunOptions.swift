import GenRM

/// How a benchmark run judges: votes per judgment, position swap, sampling, seed, parallelism.
public struct EvalRunOptions: Sendable, Hashable {
    /// Votes per judgment (voting@N).
    public var votes: Int
    /// Judge every RM-Bench / HelpSteer3 judgment in both orders and combine them (position-swap
    /// debiasing). JudgeBench already judges both orders as two games, so it refuses this.
    public var swap: Bool
    /// Sampling and structured-decoding budgets; each judgment samples with its own seed derived
    /// from `seed`, the item and the pair, so the outcome does not depend on scheduling.
    public var settings: JudgeSettings
    /// The run's seed: RM-Bench positions and sampling derive from it; recorded on every line.
    public var seed: UInt64
    /// Judgments in flight at once.
    public var concurrency: Int
    /// A run stops after this many judgments in a row fail with a backend error (a broken backend
    /// should not fill the file with errors); the failed lines are retried by the next run.
    public var maxConsecutiveErrors: Int

    public init(
        votes: Int = 1, swap: Bool = false, settings: JudgeSettings = JudgeSettings(), seed: UInt64 = 1,
        concurrency: Int = 1, maxConsecutiveErrors: Int = 5
    ) {
        self.votes = votes
        self.swap = swap
        self.settings = settings
        self.seed = seed
        self.concurrency = concurrency
        self.maxConsecutiveErrors = maxConsecutiveErrors
    }

    public func validate(for benchmark: Benchmark) throws(EvalRunError) {
        guard votes >= 1 else { throw .invalidOption(name: "votes", reason: "must be >= 1, not \(votes)") }
        guard concurrency >= 1 else { throw .invalidOption(name: "concurrency", reason: "must be >= 1, not \(concurrency)") }
        guard maxConsecutiveErrors >= 1 else {
            throw .invalidOption(name: "max-consecutive-errors", reason: "must be >= 1, not \(maxConsecutiveErrors)")
        }
        do {
            try settings.validate()
        } catch {
            throw .invalidOption(name: error.field.replacingOccurrences(of: "_", with: "-"), reason: error.description)
        }
        if swap, benchmark == .judgeBench {
            throw .invalidOption(name: "swap", reason: "JudgeBench already judges every pair in both orders (its two games)")
        }
    }
}

/// Why a run could not start or had to stop.
public enum EvalRunError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidOption(name: String, reason: String)
    case resultsMismatch(path: String, line: Int, field: String, found: String, expected: String)
    case tooManyErrors(count: Int, last: String)

    public var description: String {
        switch self {
        case .invalidOption(let name, let reason): "--\(name): \(reason)"
        case .resultsMismatch(let path, let line, let field, let found, let expected):
            "\(path) line \(line) was written with \(field) \"\(found)\", this run has \"\(expected)\"; resume with the same settings or use another --out"
        case .tooManyErrors(let count, let last):
            "stopped after \(count) judgments in a row failed (the next run retries them); last error: \(last)"
        }
    }
}
