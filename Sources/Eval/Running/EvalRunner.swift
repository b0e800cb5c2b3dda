import Foundation
import GenRM

/// Runs a benchmark's judgments through any judge backend and appends one results line per
/// judgment as it completes. Resumable: judgments already in the file are skipped, a torn last
/// line is cut off, and a line holding a backend error is retried. Up to `concurrency`
/// judgments are in flight; a single writer appends and syncs each line.
public struct EvalRunner: Sendable {
    public let judge: Judge
    public let options: EvalRunOptions

    public init(judge: Judge, options: EvalRunOptions) {
        self.judge = judge
        self.options = options
    }

    public func run(
        _ data: BenchmarkData, out path: String, progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async throws -> RunSummary {
        try options.validate(for: data.benchmark)
        let (writer, existing) = try ResultsWriter.open(path: path)
        do {
            let summary = try await run(data, existing: existing, writer: writer, progress: progress)
            await writer.close()
            return summary
        } catch {
            await writer.close()
            throw error
        }
    }

    private func run(
        _ data: BenchmarkData, existing: ResultsFile, writer: ResultsWriter, progress: @escaping @Sendable (RunProgress) -> Void
    ) async throws -> RunSummary {
        try checkConsistency(existing, benchmark: data.benchmark)

        // The judgments `eval report` would count, by its rule: a file it would refuse (one
        // judgment twice) is refused here before anything is judged or appended.
        let counted = try existing.judgments()
        let finished = Dictionary(uniqueKeysWithValues: counted.filter { $0.error == nil }.map { ($0.key, $0) })
        var pending: [(item: BenchmarkItem, judgment: PlannedJudgment)] = []
        var done = 0, agreeing = 0
        for item in data.items {
            for judgment in item.judgments {
                if let record = finished[ResultKey(item: item.id, pair: judgment.pair)] {
                    done += 1
                    if record.prefersChosen { agreeing += 1 }
                } else {
                    pending.append((item, judgment))
                }
            }
        }
        let ledger = RunLedger(writer: writer, total: done + pending.count, done: done, agreeing: agreeing,
                               maxConsecutiveErrors: options.maxConsecutiveErrors, report: progress)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            for _ in 0..<min(options.concurrency, pending.count) {
                let (item, judgment) = pending[next]
                next += 1
                group.addTask { try await self.perform(judgment, of: item, benchmark: data.benchmark, ledger: ledger) }
            }
            while try await group.next() != nil {
                guard next < pending.count else { continue }
                let (item, judgment) = pending[next]
                next += 1
                group.addTask { try await self.perform(judgment, of: item, benchmark: data.benchmark, ledger: ledger) }
            }
        }
        return RunSummary(skipped: done, progress: await ledger.snapshot())
    }

    /// A results file holds one run: the same benchmark, judge model and seed on every line.
    private func checkConsistency(_ existing: ResultsFile, benchmark: Benchmark) throws(EvalRunError) {
        guard let first = existing.lines.first else { return }
        let expected = [
            ("benchmark", first.record.benchmark.rawValue, benchmark.rawValue),
            ("model", first.record.model, judge.backend.modelName),
            ("seed", first.record.seed.map(String.init) ?? "null", String(options.seed)),
        ]
        for (field, found, wanted) in expected where found != wanted {
            throw .resultsMismatch(path: existing.path, line: first.number, field: field, found: found, expected: wanted)
        }
    }

    private func perform(_ planned: PlannedJudgment, of item: BenchmarkItem, benchmark: Benchmark, ledger: RunLedger) async throws {
        var settings = options.settings
        settings.sampling.seed = SeededCoin.mix(options.seed, "\(item.id)|\(planned.pair)")
        var record = ResultRecord(
            benchmark: benchmark, item: item.id, category: item.category, pair: planned.pair,
            chosenPosition: planned.chosenPosition, ranking: nil, votes: [], scores: nil,
            failures: options.votes * (options.swap ? 2 : 1), model: judge.backend.modelName, seed: options.seed)
        do {
            let result = try await judge.judge(planned.request, votes: options.votes, swap: options.swap, settings: settings)
            record.ranking = result.summary.meanRanking
            record.votes = result.votes.compactMap { $0.judgmentInRequestOrder?.ranking }
            record.scores = result.summary.meanScores
            record.failures = result.summary.failedParses
            record.expectedRanking = result.expectedRanking
        } catch {
            if error is CancellationError || Task.isCancelled { throw CancellationError() }
            record.error = String(describing: error)
        }
        try await ledger.append(record)
    }
}

/// The run's single writer and its tally: appends each line, counts, reports progress, and
/// stops the run when the backend keeps failing.
private actor RunLedger {
    private let writer: ResultsWriter
    private let total: Int
    private var done: Int
    private var agreeing: Int
    private var written = 0
    private var failures = 0
    private var errors = 0
    private var consecutiveErrors = 0
    private let maxConsecutiveErrors: Int
    private let report: @Sendable (RunProgress) -> Void
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    init(writer: ResultsWriter, total: Int, done: Int, agreeing: Int, maxConsecutiveErrors: Int,
         report: @escaping @Sendable (RunProgress) -> Void) {
        self.writer = writer
        self.total = total
        self.done = done
        self.agreeing = agreeing
        self.maxConsecutiveErrors = maxConsecutiveErrors
        self.report = report
        start = clock.now
    }

    func append(_ record: ResultRecord) async throws {
        try await writer.append(record)
        written += 1
        if let error = record.error {
            errors += 1
            consecutiveErrors += 1
            report(snapshot())
            if consecutiveErrors >= maxConsecutiveErrors { throw EvalRunError.tooManyErrors(count: consecutiveErrors, last: error) }
            return
        }
        consecutiveErrors = 0
        done += 1
        failures += record.failures
        if record.prefersChosen { agreeing += 1 }
        report(snapshot())
    }

    func snapshot() -> RunProgress {
        let seconds = start.duration(to: clock.now).seconds
        return RunProgress(done: done, total: total, written: written, seconds: seconds, agreeing: agreeing, failures: failures, errors: errors)
    }
}
