/// Where a run stands, reported after every judgment written.
public struct RunProgress: Sendable, Hashable {
    /// Judgments of the selection that are finished, those found in the file included.
    public var done: Int
    public var total: Int
    /// Judgments written by this run.
    public var written: Int
    public var seconds: Double
    /// Finished judgments (file and this run) that prefer the reference-preferred response.
    public var agreeing: Int
    /// Votes that failed to parse in this run's judgments.
    public var failures: Int
    /// This run's judgments the backend could not make.
    public var errors: Int

    public init(done: Int, total: Int, written: Int, seconds: Double, agreeing: Int, failures: Int, errors: Int) {
        self.done = done
        self.total = total
        self.written = written
        self.seconds = seconds
        self.agreeing = agreeing
        self.failures = failures
        self.errors = errors
    }

    /// This run's judgments per second.
    public var rate: Double? { seconds > 0 && written > 0 ? Double(written) / seconds : nil }

    /// Seconds left at the current rate.
    public var eta: Double? { rate.map { Double(total - done) / $0 } }

    /// Share of finished judgments that prefer the reference-preferred response (a running,
    /// per-judgment figure; the benchmark's official metric comes from `genrm eval report`).
    public var accuracy: Double? { done > 0 ? Double(agreeing) / Double(done) : nil }
}

/// What a run did, when it ends.
public struct RunSummary: Sendable, Hashable {
    /// Judgments of the selection already in the file before the run (skipped).
    public var skipped: Int
    public var progress: RunProgress
}
