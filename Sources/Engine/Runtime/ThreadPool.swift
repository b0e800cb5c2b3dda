import Foundation
#if os(Linux)
import Synchronization
#endif

/// A persistent pool of worker threads for data-parallel loops (matmul rows, attention heads).
///
/// Workers are created once and wait between jobs: they spin briefly on an atomic job ticket
/// (jobs arrive every few microseconds while a model runs, so spinning avoids a kernel wake-up
/// per matmul) and then park on a condition variable. The calling thread takes part in every job.
///
/// `parallelFor` from inside a running job, or while another thread's job is running, runs
/// serially on the calling thread instead of deadlocking.
///
/// `@unchecked Sendable`: all mutable state is either atomic (`ticket`, `jobCount`, `done`,
/// `sleepers`, `stopping`), guarded by `parking` (the condition), or `job`, which is written only
/// while no worker can claim an index (before the ticket of a new job is published, and after
/// every index of the job has finished) and read only by a worker that has just claimed an index.
public final class ThreadPool: @unchecked Sendable {
    /// A pool with one thread per active processor, shared by the whole engine.
    public static let shared = ThreadPool()

    /// Threads that run a job, the calling thread included.
    public let threadCount: Int

    /// The job's index space and body; see the class comment for why unsynchronised access is safe.
    private var job: ((Int) -> Void)?
    /// Atomic: a worker still looking at the last job's exhausted ticket reads it while the next
    /// job's count is written (ThreadSanitizer's finding; the closed ticket keeps the value it
    /// reads from mattering, the atomic keeps the read itself defined).
    private let jobCount = PoolCounter(0)
    /// `generation << 32 | next unclaimed index` of the current job.
    private let ticket = PoolCounter(0)
    /// Indices of the current job that have finished.
    private let done = PoolCounter(0)
    /// Workers parked on `parking`.
    private let sleepers = PoolCounter(0)
    private let stopping = PoolCounter(0)
    private let parking = NSCondition()
    /// Held by the thread whose job is running; others run their loops serially.
    private let submitting = NSLock()
    private let exited = DispatchGroup()
    /// Ticket polls before a waiting worker parks (a few hundred microseconds).
    private let spinLimit = 20_000
    /// Polls of the unfinished count before the submitter starts yielding (a few microseconds).
    private let yieldAfterSpins = 2_000

    /// Starts `threadCount - 1` workers (the caller is the last thread).
    public init(threadCount: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.threadCount = max(1, threadCount)
        for worker in 1..<self.threadCount {
            exited.enter()
            let thread = Thread { [unowned(unsafe) self] in
                self.workerLoop()
                self.exited.leave()
            }
            thread.name = "genrm-pool-\(worker)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    deinit {
        stopping.store(1)
        parking.lock()
        bumpGeneration(count: 0)
        parking.broadcast()
        parking.unlock()
        exited.wait()
    }

    /// Runs `body(i)` for every `i` in `0..<count`, spread over the pool's threads; returns when
    /// all have finished. Bodies run concurrently and must only write disjoint memory.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        guard threadCount > 1, count > 1, count < Int(Int32.max), submitting.try() else {
            for i in 0..<count { body(i) }
            return
        }
        defer { submitting.unlock() }
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            jobCount.store(count)
            done.store(0)
            let generation = bumpGeneration(count: count)
            if sleepers.load() > 0 {
                parking.lock()
                parking.broadcast()
                parking.unlock()
            }
            runClaimedIndices(generation: generation)
            waitUntilDone(count)
            closeTicket(generation: generation)
            job = nil
        }
    }

    /// Marks the finished job's ticket as having no index left before the next job's body and
    /// count are written. Without it a worker that read the exhausted ticket `(g, count)` of this
    /// job, then the next job's larger `jobCount`, could still win its compare-exchange on the
    /// stale ticket (the next ticket is published only after the count) and run an index of the
    /// next job under this generation: counted in `done` twice, so the submitter could return
    /// while an index still ran, and trap in `withoutActuallyEscaping` ("closure argument was
    /// escaped"; the rare SIGILL seen in ForwardTests and `genrm generate`).
    private func closeTicket(generation: Int) {
        ticket.store(generation << 32 | 0xFFFF_FFFF)
    }

    /// Spins until `count` indices have finished. The last ones run on workers; a worker that
    /// was descheduled mid-index (an oversubscribed machine) only runs again once the caller's
    /// core is free, so after a short spin the caller yields its time slice while it waits.
    private func waitUntilDone(_ count: Int) {
        var spins = 0
        while done.load() < count {
            spins += 1
            if spins >= yieldAfterSpins { sched_yield() }
        }
    }

    /// Publishes a new job ticket (index 0 of the next generation); returns the generation.
    @discardableResult
    private func bumpGeneration(count: Int) -> Int {
        let generation = (ticket.load() >> 32) + 1
        ticket.store(generation << 32)
        return generation
    }

    /// Claims and runs indices of job `generation` until none are left.
    private func runClaimedIndices(generation: Int) {
        while true {
            let current = ticket.load()
            let index = current & 0xFFFF_FFFF
            guard current >> 32 == generation, index < jobCount.load() else { return }
            guard ticket.compareExchange(expected: current, desired: current + 1) else { continue }
            runJob(index)
            done.add(1)
        }
    }

    /// Calls the job's body, in its own frame so the reference this thread takes to the body
    /// is released before `done` counts the index: otherwise the release can sink below the
    /// count, the submitter's `withoutActuallyEscaping` then still sees the worker's reference
    /// and traps ("closure argument was escaped").
    @inline(never)
    private func runJob(_ index: Int) {
        job?(index)
    }

    private func workerLoop() {
        // Generation 0 is the pool's state at construction; a worker that starts late still
        // sees every later ticket (and the shutdown) as new.
        var seen = 0
        while true {
            var spins = 0
            var generation = ticket.load() >> 32
            while generation == seen, stopping.load() == 0 {
                spins += 1
                if spins >= spinLimit {
                    park(whileGeneration: seen)
                    spins = 0
                }
                generation = ticket.load() >> 32
            }
            seen = generation
            if stopping.load() != 0 { return }
            runClaimedIndices(generation: generation)
        }
    }

    /// Sleeps until the ticket's generation moves past `seen` or the pool stops. The sleeper count is raised
    /// before re-checking the ticket, and the submitter publishes the ticket before reading the
    /// count (both sequentially consistent), so a wake-up cannot be missed.
    private func park(whileGeneration seen: Int) {
        parking.lock()
        sleepers.add(1)
        while ticket.load() >> 32 == seen, stopping.load() == 0 {
            parking.wait()
        }
        sleepers.add(-1)
        parking.unlock()
    }
}

/// A sequentially consistent atomic integer: `Atomic` where the platform has it unconditionally
/// (Linux), otherwise a lock (correct, slower; only the Linux build is tuned).
///
/// `@unchecked Sendable`: every access goes through the atomic or the lock.
final class PoolCounter: @unchecked Sendable {
    #if os(Linux)
    private let value: Atomic<Int>
    init(_ initial: Int) { value = Atomic(initial) }
    func load() -> Int { value.load(ordering: .sequentiallyConsistent) }
    func store(_ v: Int) { value.store(v, ordering: .sequentiallyConsistent) }
    func add(_ delta: Int) { value.add(delta, ordering: .sequentiallyConsistent) }
    /// Adds 1 and returns the value before.
    func increment() -> Int { value.add(1, ordering: .sequentiallyConsistent).oldValue }
    func compareExchange(expected: Int, desired: Int) -> Bool {
        value.compareExchange(expected: expected, desired: desired, ordering: .sequentiallyConsistent).exchanged
    }
    #else
    private var value: Int
    private let lock = NSLock()
    init(_ initial: Int) { value = initial }
    func load() -> Int { lock.withLock { value } }
    func store(_ v: Int) { lock.withLock { value = v } }
    func add(_ delta: Int) { lock.withLock { value += delta } }
    func increment() -> Int {
        lock.withLock {
            value += 1
            return value - 1
        }
    }
    func compareExchange(expected: Int, desired: Int) -> Bool {
        lock.withLock {
            guard value == expected else { return false }
            value = desired
            return true
        }
    }
    #endif
}
