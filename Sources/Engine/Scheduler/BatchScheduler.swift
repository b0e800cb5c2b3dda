import Foundation
import GenRM
import Tokenizers

/// Continuous batching on one engine thread. Requests are queued (bounded), admitted while
/// running sequences stay within `maxRunningSequences`, prefilled chunk by chunk between decode
/// steps (the prompts being prefilled take turns, one chunk each, so a short prompt is not held
/// behind a long one), and every step feeds one token for every running choice of every request in a single
/// batched forward over one shared `KVCache`. A consumer that stops listening (client gone)
/// cancels its request at the next step and frees its cache slots.
///
/// The forward pass is CPU-bound and blocking, so it runs on a dedicated `Thread`, not on the
/// Swift cooperative pool; requests and results cross over through a lock and `AsyncThrowingStream`s.
/// Every embedded caller (judging, generation, serving) submits here. `shutdown()` ends the
/// thread; a scheduler that is never started holds none.
public final class BatchScheduler: @unchecked Sendable {
    // @unchecked: `state` is guarded by `condition`; `base` and the jobs (with their sessions and
    // the cache) are touched only on the engine thread.
    public let model: TransformerModel
    public let tokenizer: Tokenizer
    public let limits: Limits
    /// Bytes admitted requests may hold (`Limits.memoryBudget`, resolved when made).
    public let memoryBudget: Int
    private let digits: Result<DigitTokens, JudgeDecodingError>
    /// The cache's geometry (nothing allocated) for sizing requests.
    private let cacheShape: KVCache
    private let condition = NSCondition()
    private var state = SharedState()
    private var thread: Thread?

    /// How much the scheduler takes on.
    public struct Limits: Sendable, Equatable {
        /// Sequences (choices) decoded together at most.
        public var maxRunningSequences: Int
        /// Requests waiting for a running slot at most; beyond it a request is refused at once.
        public var maxQueuedRequests: Int
        /// Positions one sequence may hold.
        public var contextLength: Int
        /// Prompt tokens prefilled between two decode steps (longer prompts take several steps).
        public var prefillChunk: Int
        /// Recent prompts kept for prefix reuse (0 turns prefix caching off).
        public var prefixCacheEntries: Int
        /// Bytes the sequences of admitted requests may hold at most (KV cache and decode rows,
        /// each request counted at its largest: prompt plus every token it may generate); nil:
        /// 90% of what the system has available when the scheduler is made (`SystemMemory`).
        public var memoryBudget: Int?

        public init(
            maxRunningSequences: Int = 16, maxQueuedRequests: Int = 64, contextLength: Int, prefillChunk: Int = 256,
            prefixCacheEntries: Int = 4, memoryBudget: Int? = nil
        ) {
            self.maxRunningSequences = max(1, maxRunningSequences)
            self.maxQueuedRequests = max(0, maxQueuedRequests)
            self.contextLength = max(1, contextLength)
            self.prefillChunk = max(1, prefillChunk)
            self.prefixCacheEntries = max(0, prefixCacheEntries)
            self.memoryBudget = memoryBudget.map { max(0, $0) }
        }
    }

    /// A consistent view of the scheduler's load.
    public struct Stats: Sendable, Equatable {
        /// Choices being prefilled or decoded.
        public var runningSequences = 0
        /// Requests admitted or waiting that have not started decoding.
        public var queuedRequests = 0
        /// Sequences held in the KV cache for requests (the empty base sequence and the prefix
        /// cache's entries not counted).
        public var cachedSequences = 0
        /// Prompts kept for prefix reuse, and the prompt tokens taken from them instead of being
        /// prefilled so far.
        public var prefixCacheEntries = 0
        public var reusedPromptTokens = 0
        /// Decode steps run so far, and the choices they fed in total (the mean batch size is
        /// their ratio).
        public var decodeSteps = 0
        public var decodedRows = 0
    }

    private struct SharedState {
        var nextID = 0
        /// Capacity reserved, not yet picked up by the engine thread.
        var admitted: [SchedulerJob] = []
        /// No capacity yet, first come first served.
        var waiting: [SchedulerJob] = []
        /// Sequences, and their bytes at most, reserved by admitted and running jobs.
        var reservedSequences = 0
        var reservedBytes = 0
        var cancelled: Set<Int> = []
        var accepting = true
        var stopping = false
        /// `shutdown()` was called: the engine thread ends after finishing every request.
        var exiting = false
        /// The engine thread has returned (or was never started and is shut down).
        var stopped = false
        var stats = Stats()
        var idle = true
    }

    public init(model: TransformerModel, tokenizer: Tokenizer, limits: Limits) {
        self.model = model
        self.tokenizer = tokenizer
        self.limits = limits
        memoryBudget = limits.memoryBudget ?? (SystemMemory.availableBytes().map { $0 / 10 * 9 } ?? Int.max)
        cacheShape = KVCache(config: model.config, maxLength: limits.contextLength)
        digits = Result { () throws(JudgeDecodingError) in try DigitTokens(tokenizer: tokenizer) }
    }

    /// Starts the engine thread.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard thread == nil, !state.exiting else { return }
        let thread = Thread { [self] in runLoop() }
        thread.name = "genrm-engine"
        thread.stackSize = 16 << 20
        self.thread = thread
        thread.start()
    }

    /// Queues `request`; its events arrive on the returned stream. Throws at once when the
    /// scheduler is full (`.overloaded`), draining, or the request can never run.
    public func submit(_ request: EngineRequest) throws(SchedulerError) -> AsyncThrowingStream<EngineEvent, any Error> {
        let n = request.choices.count
        guard !request.prompt.isEmpty else { throw .emptyPrompt }
        if case .judge = request.decoding, case .failure(let reason) = digits { throw .judgingUnavailable(reason) }
        let bytes = try checkAdmissible(choices: n, promptTokens: request.prompt.count, generatedTokens: generatedTokens(request))
        let (stream, continuation) = AsyncThrowingStream<EngineEvent, any Error>.makeStream()
        condition.lock()
        defer { condition.unlock() }
        guard state.accepting else { throw .shuttingDown }
        let id = state.nextID
        let job = SchedulerJob(id: id, request: request, memoryBytes: bytes, continuation: continuation)
        if state.waiting.isEmpty, fits(job) {
            state.reservedSequences += n
            state.reservedBytes += bytes
            state.admitted.append(job)
        } else if state.waiting.count < limits.maxQueuedRequests {
            state.waiting.append(job)
        } else {
            throw .overloaded(
                runningSequences: state.reservedSequences, maxRunningSequences: limits.maxRunningSequences,
                queuedRequests: state.waiting.count, maxQueuedRequests: limits.maxQueuedRequests)
        }
        state.nextID += 1
        state.idle = false
        state.stats.queuedRequests += 1
        continuation.onTermination = { [weak self] termination in
            if case .cancelled = termination { self?.cancel(id) }
        }
        condition.signal()
        return stream
    }

    /// Whether a request of `n` choices, a prompt of `promptTokens` and up to `generatedTokens`
    /// more per choice could ever run here (choices within `--max-num-seqs`, prompt within the
    /// context, every choice at its largest within the memory budget); the bytes it reserves.
    /// `submit` checks this; a caller about to build `n` choices checks it first, so that an
    /// absurd count is refused before anything of its size is allocated.
    public func checkAdmissible(choices n: Int, promptTokens: Int, generatedTokens: Int) throws(SchedulerError) -> Int {
        guard n >= 1 else { throw .noChoices }
        guard n <= limits.maxRunningSequences else {
            throw .tooManyChoices(requested: n, maxRunningSequences: limits.maxRunningSequences)
        }
        guard promptTokens < limits.contextLength else {
            throw .promptTooLong(promptTokens: promptTokens, contextLength: limits.contextLength)
        }
        let (positions, bytesPerChoice) = memoryPerChoice(promptTokens: promptTokens, generatedTokens: generatedTokens)
        let (bytes, overflow) = bytesPerChoice.multipliedReportingOverflow(by: n)
        guard !overflow, bytes <= memoryBudget else {
            throw .exceedsMemory(choices: n, positions: positions, bytesPerChoice: bytesPerChoice, budget: memoryBudget)
        }
        return bytes
    }

    /// The most tokens one choice of `request` may add to its prompt.
    func generatedTokens(_ request: EngineRequest) -> Int {
        switch request.decoding {
        case .text(let decoding): decoding.maxTokens
        case .judge(let segments, _): JudgeDecodingPlan.neededTokens(segments, tokenizer: tokenizer)
        }
    }

    /// The positions one choice of `request` may reach and the bytes it then holds at most.
    func memoryPerChoice(_ request: EngineRequest) -> (positions: Int, bytes: Int) {
        memoryPerChoice(promptTokens: request.prompt.count, generatedTokens: generatedTokens(request))
    }

    /// The positions one choice may reach (its prompt and every token it may generate, within
    /// the context) and the bytes it then holds at most: its KV-cache slot and its row of the
    /// batched decode (logits and activations).
    func memoryPerChoice(promptTokens: Int, generatedTokens: Int) -> (positions: Int, bytes: Int) {
        let positions = min(limits.contextLength, promptTokens.saturatingAdding(max(0, generatedTokens)))
        let row = 4 * (model.config.vocabularySize + 16 * model.config.hiddenSize)
        return (positions, cacheShape.slotBytes(holding: positions) + row)
    }

    /// Whether `job` fits beside what is reserved (state's lock held).
    private func fits(_ job: SchedulerJob) -> Bool {
        state.reservedSequences + job.sequenceCount <= limits.maxRunningSequences
            && state.reservedBytes + job.memoryBytes <= memoryBudget
    }

    /// The current load.
    public var stats: Stats {
        condition.lock()
        defer { condition.unlock() }
        return state.stats
    }

    /// False once `stopAccepting` was called (draining for shutdown).
    public var isAccepting: Bool {
        condition.lock()
        defer { condition.unlock() }
        return state.accepting
    }

    /// Refuses new requests from now on (`.shuttingDown`); running and queued ones continue.
    public func stopAccepting() {
        condition.lock()
        state.accepting = false
        condition.unlock()
    }

    /// Waits until nothing is queued or running, up to `timeout` or until the task is cancelled;
    /// true when idle.
    public func waitUntilIdle(timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline, !Task.isCancelled {
            if isIdle { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isIdle
    }

    /// Refuses new requests, ends every queued and running one with `.shuttingDown`, and ends the
    /// engine thread. Returns at once; `isStopped` turns true when the thread has returned.
    public func shutdown() {
        condition.lock()
        state.accepting = false
        state.stopping = true
        state.exiting = true
        if thread == nil { state.stopped = true }
        condition.signal()
        condition.unlock()
    }

    /// True once the engine thread has ended after `shutdown()`.
    public var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return state.stopped
    }

    /// Ends every queued and running request with `.shuttingDown`.
    public func cancelAll() {
        condition.lock()
        state.stopping = true
        condition.signal()
        condition.unlock()
    }

    private var isIdle: Bool {
        condition.lock()
        defer { condition.unlock() }
        return state.idle
    }

    private func cancel(_ id: Int) {
        condition.lock()
        state.cancelled.insert(id)
        condition.signal()
        condition.unlock()
    }

    // MARK: - Engine thread

    private func runLoop() {
        let base = InferenceSession(model: model, maxLength: limits.contextLength, prefillBatchSize: limits.prefillChunk)
        let prefixes = PrefixCache(capacity: limits.prefixCacheEntries)
        var jobs: [SchedulerJob] = []
        // The request whose prompt took the last chunk: the next chunk goes to the one after it.
        var lastPrefilled = -1
        while true {
            // Take new work and cancellations; sleep while there is nothing to do.
            condition.lock()
            while state.admitted.isEmpty && jobs.isEmpty && state.cancelled.isEmpty && !state.stopping {
                state.idle = state.waiting.isEmpty
                condition.wait()
            }
            jobs += state.admitted
            state.admitted.removeAll()
            let cancelled = state.cancelled
            state.cancelled.removeAll()
            let stopping = state.stopping
            let unstarted = stopping ? state.waiting : []
            if stopping { state.waiting.removeAll() }
            condition.unlock()
            for job in unstarted { job.continuation.finish(throwing: SchedulerError.shuttingDown) }

            var released = Reservation()
            jobs.removeAll { job in
                guard stopping || cancelled.contains(job.id) else { return false }
                job.continuation.finish(throwing: stopping ? SchedulerError.shuttingDown : CancellationError())
                released.add(job)
                return true
            }
            if !cancelled.isEmpty { dropWaiting(cancelled) }

            let reused = prefillNextChunk(base: base, prefixes: prefixes, jobs: &jobs, after: &lastPrefilled, released: &released)
            let fed = decodeStep(jobs: &jobs, released: &released)
            publish(jobs: jobs, released: released, fed: fed, reused: reused, base: base, prefixes: prefixes)
            if stopping {
                condition.lock()
                state.stopping = false
                let exiting = state.exiting
                if exiting {
                    // Requests admitted since this step was taken end too; then the thread returns.
                    let late = state.admitted + state.waiting
                    state.admitted.removeAll()
                    state.waiting.removeAll()
                    state.idle = true
                    state.stopped = true
                    condition.unlock()
                    for job in late { job.continuation.finish(throwing: SchedulerError.shuttingDown) }
                    return
                }
                condition.unlock()
            }
        }
    }

    /// Cancelled requests that never got a slot leave the queue.
    private func dropWaiting(_ cancelled: Set<Int>) {
        condition.lock()
        let dropped = state.waiting.filter { cancelled.contains($0.id) }
        state.waiting.removeAll { cancelled.contains($0.id) }
        condition.unlock()
        for job in dropped { job.continuation.finish(throwing: CancellationError()) }
    }

    /// Prefills one chunk of the request still prefilling that comes next after `last` in
    /// admission order, round robin (a new one first takes what the prefix cache shares with
    /// it); when its prompt is complete, keeps it in the prefix cache and forks its choices so
    /// they join the next decode step. Returns the prompt tokens reused.
    private func prefillNextChunk(base: InferenceSession, prefixes: PrefixCache, jobs: inout [SchedulerJob], after last: inout Int,
                                  released: inout Reservation) -> Int {
        let previous = last
        guard let index = jobs.firstIndex(where: { !$0.isPrefilled && $0.id > previous })
            ?? jobs.firstIndex(where: { !$0.isPrefilled }) else { return 0 }
        let job = jobs[index]
        last = job.id
        var reused = 0
        do {
            let session: InferenceSession
            if let started = job.prompt {
                session = started
            } else if let (cached, shared, known) = try prefixes.start(job.request.prompt, logprobs: job.request.promptLogprobs) {
                session = cached
                // The last shared token was fed again for its logits.
                reused = shared - 1
                job.promptLogprobs = known
            } else {
                session = try base.fork()
            }
            job.prompt = session
            let done = session.tokens.count
            let chunk = Array(job.request.prompt[done..<min(done + limits.prefillChunk, job.request.prompt.count)])
            if let k = job.request.promptLogprobs {
                try prefillReadingLogprobs(chunk, at: done, of: job, into: session, top: k)
            } else {
                try session.prefill(chunk)
            }
            guard session.tokens.count == job.request.prompt.count else { return reused }
            try prefixes.insert(
                session, logprobs: job.request.promptLogprobs.map { _ in job.promptLogprobs }, alternatives: job.request.promptLogprobs ?? 0)
            try startChoices(of: job, prefilled: session)
            if job.request.promptLogprobs != nil { job.continuation.yield(.promptLogprobs(job.promptLogprobs)) }
            job.continuation.yield(.prefilled(promptTokens: job.request.prompt.count, at: .now))
        } catch {
            job.continuation.finish(throwing: error)
            released.add(job)
            jobs.remove(at: index)
        }
        return reused
    }

    /// Prefills `chunk` (prompt positions from `done`) with the logits of every row, and keeps
    /// the log-probability of each prompt token those rows predict. After a prefix from the cache
    /// (its logprobs known up to its last token), the chunk's first token is read off the
    /// session's logits, which follow that last token.
    private func prefillReadingLogprobs(_ chunk: [Int], at done: Int, of job: SchedulerJob, into session: InferenceSession, top k: Int) throws {
        let prompt = job.request.prompt
        if job.promptLogprobs.count == done - 1, done < prompt.count {
            job.promptLogprobs.append(LogprobReadout.logprob(of: prompt[done], in: session.logits, top: k, tokenizer: tokenizer))
        }
        try session.prefill(chunk) { start, logits in
            for row in 0..<logits.rowCount {
                let next = done + start + row + 1
                guard next < prompt.count else { break }
                job.promptLogprobs.append(LogprobReadout.logprob(of: prompt[next], in: logits.row(row), top: k, tokenizer: self.tokenizer))
            }
        }
    }

    private func startChoices(of job: SchedulerJob, prefilled session: InferenceSession) throws {
        // Every fork is taken before any choice moves, so each starts from the prompt.
        var sessions = [session]
        for _ in 1..<max(1, job.request.choices.count) { sessions.append(try session.fork()) }
        job.prompt = nil
        for (sampling, session) in zip(job.request.choices, sessions) {
            switch job.request.decoding {
            case .text(let decoding):
                job.choices.append(.text(try TextChoice(session: session, decoding: decoding, tokenizer: tokenizer, sampling: sampling)))
            case .judge(let segments, let topLogprobs):
                let digits = try digits.get()
                let decoder = try VoteDecoder(
                    session: session, tokenizer: tokenizer, digits: digits, segments: segments, sampling: sampling,
                    topLogprobs: topLogprobs)
                job.choices.append(.judge(JudgeChoice(decoder: decoder, promptTokens: job.request.prompt.count)))
            }
        }
    }

    /// One token for every running choice in one forward pass; returns the rows fed.
    private func decodeStep(jobs: inout [SchedulerJob], released: inout Reservation) -> Int {
        var sessions: [InferenceSession] = []
        var tokens: [Int] = []
        var owners: [Int] = []
        var failed: [Int: any Error] = [:]
        for job in jobs where job.isPrefilled {
            do {
                for choice in job.choices where choice.result == nil {
                    if let token = try choice.step() {
                        sessions.append(choice.session)
                        tokens.append(token)
                        owners.append(job.id)
                    }
                }
            } catch {
                failed[job.id] = error
            }
        }
        if !sessions.isEmpty {
            do {
                try InferenceSession.appendTogether(sessions, tokens: tokens)
            } catch {
                for id in owners { failed[id] = error }
            }
        }
        jobs.removeAll { job in
            if let error = failed[job.id] {
                job.continuation.finish(throwing: error)
                released.add(job)
                return true
            }
            guard job.isPrefilled else { return false }
            job.report()
            if job.isFinished { released.add(job) }
            return job.isFinished
        }
        return sessions.count
    }

    /// Frees the slots of finished jobs, admits waiting ones, and updates the stats.
    private func publish(jobs: [SchedulerJob], released: Reservation, fed: Int, reused: Int, base: InferenceSession, prefixes: PrefixCache) {
        condition.lock()
        defer { condition.unlock() }
        state.reservedSequences -= released.sequences
        state.reservedBytes -= released.bytes
        while let next = state.waiting.first, fits(next) {
            state.waiting.removeFirst()
            state.reservedSequences += next.sequenceCount
            state.reservedBytes += next.memoryBytes
            state.admitted.append(next)
        }
        let prefilling = jobs.filter { !$0.isPrefilled }
        state.stats.queuedRequests = state.waiting.count + state.admitted.count + prefilling.count
        state.stats.runningSequences = jobs.reduce(0) { $0 + ($1.isPrefilled ? $1.sequenceCount : 0) }
        state.stats.cachedSequences = base.cache.sequences.count - 1 - prefixes.count
        state.stats.prefixCacheEntries = prefixes.count
        state.stats.reusedPromptTokens += reused
        if fed > 0 {
            state.stats.decodeSteps += 1
            state.stats.decodedRows += fed
        }
        state.idle = jobs.isEmpty && state.admitted.isEmpty && state.waiting.isEmpty
    }
}

/// Sequences and bytes given back by jobs that ended in one step.
private struct Reservation {
    var sequences = 0
    var bytes = 0

    mutating func add(_ job: SchedulerJob) {
        sequences += job.sequenceCount
        bytes += job.memoryBytes
    }
}
