import Foundation
import NIOConcurrencyHelpers

/// Told of every request the pool finishes and every retry, so a server can count them
/// (`/metrics`); the pool itself keeps only tallies for its status.
public protocol PoolObserver: Sendable {
    /// `outcome`: "ok", "retried" (a retryable failure; another try follows or the request
    /// fails), "rejected" (the request's own error).
    func requestFinished(backend: String, outcome: String, duration: Duration)
}

/// A pool of OpenAI-compatible servers serving one model: health checks in the background,
/// least-loaded routing with affinity, bounded requests per backend, and retries with backoff on
/// another healthy backend. Start it, wait until one backend is ready, send, shut down.
public final class BackendPool: Sendable {
    public let configuration: PoolConfiguration
    public let http: BackendHTTP
    private let states: NIOLockedValueBox<[BackendState]>
    private let turn = NIOLockedValueBox(0)
    private let checker = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let observer: NIOLockedValueBox<(any PoolObserver)?>

    public init(_ configuration: PoolConfiguration, observer: (any PoolObserver)? = nil) throws(BackendConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.observer = NIOLockedValueBox(observer)
        http = BackendHTTP(
            apiKey: configuration.apiKey, connectTimeout: configuration.connectTimeout,
            connectionsPerBackend: configuration.maxInflight)
        states = NIOLockedValueBox(configuration.endpoints.map(BackendState.init))
    }

    public var endpoints: [BackendEndpoint] { configuration.endpoints }

    /// From now on, tell `observer` of every finished request (a server's metrics).
    public func observe(_ observer: any PoolObserver) {
        self.observer.withLockedValue { $0 = observer }
    }

    /// Starts the health checks (every `healthInterval`, the first at once).
    public func start() {
        checker.withLockedValue { task in
            guard task == nil else { return }
            task = Task { [self] in
                while !Task.isCancelled {
                    await checkAll()
                    try? await Task.sleep(for: configuration.healthInterval)
                }
            }
        }
    }

    /// Stops the checks and closes connections.
    public func shutdown() async {
        checker.withLockedValue { $0?.cancel() }
        await http.shutdown()
    }

    /// Waits until some backend is healthy; after `wait`, an error naming every backend and why.
    public func waitUntilReady() async throws {
        start()
        let deadline = ContinuousClock.now + configuration.wait
        while true {
            if states.withLockedValue({ $0.contains { $0.healthy && $0.model != nil } }) { return }
            guard ContinuousClock.now < deadline else { throw PoolUnavailable(waited: configuration.wait, backends: status) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The model name judgments report: the one asked for, else the first backend's.
    public var modelName: String {
        configuration.model ?? states.withLockedValue { $0.lazy.compactMap(\.model).first } ?? "unknown"
    }

    public var status: [BackendStatus] {
        states.withLockedValue { states in
            states.map {
                BackendStatus(url: $0.endpoint.baseURL, healthy: $0.healthy, inFlight: $0.inFlight, model: $0.model,
                              lastError: $0.lastError, outcomes: $0.outcomes, retries: $0.retries)
            }
        }
    }

    public var isHealthy: Bool { states.withLockedValue { $0.contains { $0.healthy } } }

    // MARK: Sending

    /// One backend chosen for one try: where to send and which model to name.
    public struct Target: Sendable {
        public var endpoint: BackendEndpoint
        public var model: String
    }

    /// Runs `operation` on a backend the routing picks, retrying retryable failures up to
    /// `retries` times (backoff 0.5 s x 2^k, 20% jitter), each retry on another healthy backend
    /// when there is one. A request's own error (4xx) is thrown at once; exhausted tries throw a
    /// ``PoolFailure`` naming the backends and the last error.
    public func send<T: Sendable>(affinity: String? = nil, _ operation: @Sendable (Target) async throws -> T) async throws -> T {
        let (result, lease) = try await sendHolding(affinity: affinity, operation)
        lease.release()
        return result
    }

    /// As ``send(affinity:_:)``, but the successful try keeps its slot on the backend until the
    /// lease is released: for a response relayed after `operation` returns (a stream).
    public func sendHolding<T: Sendable>(
        affinity: String? = nil, _ operation: @Sendable (Target) async throws -> T
    ) async throws -> (T, PoolLease) {
        var tried: [String] = []
        var avoid: Set<Int> = []
        var failures: [BackendFailure] = []
        for attempt in 0...configuration.retries {
            if attempt > 0 { try await Task.sleep(for: backoff(attempt - 1)) }
            guard let (index, target) = try await acquire(affinity: affinity, avoid: avoid) else { continue }
            let lease = PoolLease(pool: self, index: index)
            do {
                return (try await operation(target), lease)
            } catch let failure as BackendFailure {
                tried.append(target.endpoint.baseURL)
                failures.append(failure)
                guard failure.isRetryable else {
                    lease.release(outcome: "rejected")
                    throw PoolFailure(tried: tried, backends: endpoints.map(\.baseURL), failures: failures)
                }
                lease.release(outcome: "retried", down: failure.meansBackendDown ? failure.reason : nil)
                avoid.insert(index)
            } catch {
                lease.release(outcome: "cancelled")
                throw error
            }
        }
        throw PoolFailure(tried: tried, backends: endpoints.map(\.baseURL), failures: failures, untried: untried(besides: tried))
    }

    /// Each backend not in `tried`, with why no try reached it.
    private func untried(besides tried: [String]) -> [String] {
        status.filter { !tried.contains($0.url) }.map { backend in
            let why = backend.model == nil ? "no health check answered yet" : backend.healthy ? "busy" : "down"
            return "\(backend.url) (\(why)\(backend.lastError.map { ": \($0)" } ?? ""))"
        }
    }

    /// A slot on the chosen backend; waits while every healthy backend is full; nil when none is
    /// healthy (the caller's retry waits and tries again).
    private func acquire(affinity: String?, avoid: Set<Int>) async throws -> (Int, Target)? {
        while true {
            let turn = turn.withLockedValue { value -> Int in
                value &+= 1
                return value
            }
            let outcome: (Int, Target)?? = states.withLockedValue { states in
                if let index = BackendRouting.choose(
                    states, maxInflight: configuration.maxInflight, affinity: affinity, avoid: avoid, turn: turn) {
                    states[index].inFlight += 1
                    return .some((index, Target(endpoint: states[index].endpoint, model: states[index].model!)))
                }
                // Usable but full: wait for a slot. No backend ever answered: give the try up.
                return states.contains { $0.model != nil } ? nil : .some(nil)
            }
            if let outcome { return outcome }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    fileprivate func release(_ index: Int, outcome: String, since start: ContinuousClock.Instant, down reason: String? = nil) {
        let url = states.withLockedValue { states in
            states[index].inFlight -= 1
            states[index].outcomes[outcome, default: 0] += 1
            if outcome == "retried" { states[index].retries += 1 }
            // An answer from a backend marked down counts like a good health check.
            if outcome == "ok", !states[index].healthy {
                states[index].recordCheck(
                    ok: true, hard: false, error: nil, toUp: configuration.successesToUp, toDown: configuration.failuresToDown)
            }
            if let reason { states[index].markDown(reason) }
            return states[index].endpoint.baseURL
        }
        observer.withLockedValue { $0 }?.requestFinished(backend: url, outcome: outcome, duration: start.duration(to: .now))
    }

    func backoff(_ retry: Int) -> Duration {
        let base = configuration.backoff * (1 << min(retry, 16))
        return base * Double.random(in: 0.8...1.2)
    }

    // MARK: Health

    /// One round of checks, all backends at once.
    func checkAll() async {
        let endpoints = configuration.endpoints
        await withTaskGroup(of: Void.self) { group in
            for index in endpoints.indices {
                group.addTask { await self.check(index) }
            }
        }
    }

    /// `GET /health` (else `/v1/models`); on the first good answer the model is resolved.
    private func check(_ index: Int) async {
        let (endpoint, checksModels, model) = states.withLockedValue { ($0[index].endpoint, $0[index].checksModels, $0[index].model) }
        let url = endpoint.baseURL
        var ok = false, hard = false
        var problem: String?
        do {
            if !checksModels {
                let reply = try await http.get(endpoint.root + "/health", backend: url, timeout: configuration.healthTimeout)
                if reply.status == 404 || reply.status == 405 {
                    states.withLockedValue { $0[index].checksModels = true }
                } else {
                    ok = reply.status == 200
                    if !ok { problem = "GET /health answered \(reply.status)" }
                }
            }
            if checksModels || states.withLockedValue({ $0[index].checksModels }) || (ok && model == nil) {
                let served = try await http.models(of: endpoint, timeout: configuration.healthTimeout)
                let chosen = try Self.choose(model: configuration.model, from: served, backend: url)
                states.withLockedValue { $0[index].model = chosen }
                ok = true
            }
        } catch let failure as BackendFailure {
            ok = false
            hard = failure.meansBackendDown
            problem = failure.reason
        } catch {
            ok = false
            problem = "\(error)"
        }
        let toUp = configuration.successesToUp, toDown = configuration.failuresToDown
        states.withLockedValue { $0[index].recordCheck(ok: ok, hard: hard, error: problem, toUp: toUp, toDown: toDown) }
    }

    /// `--backend-model` when the backend lists it; without one, the single model listed.
    static func choose(model: String?, from served: [String], backend: String) throws -> String {
        if let model {
            guard served.contains(model) else {
                throw BackendFailure.status(
                    backend: backend, code: 404, message: "does not serve model \(model); it serves \(served.joined(separator: ", "))")
            }
            return model
        }
        guard served.count == 1 else {
            throw BackendFailure.status(
                backend: backend, code: 404,
                message: served.isEmpty ? "lists no model"
                    : "serves several models (\(served.joined(separator: ", "))); name one with --backend-model")
        }
        return served[0]
    }
}

/// A request's slot on one backend, held from its try until released (once; later calls do
/// nothing). Counted in the backend's in-flight load and, on release, in its outcomes.
public final class PoolLease: Sendable {
    private let pool: BackendPool
    private let index: Int
    private let start = ContinuousClock.now
    private let released = NIOLockedValueBox(false)

    fileprivate init(pool: BackendPool, index: Int) {
        self.pool = pool
        self.index = index
    }

    public func release(outcome: String = "ok", down reason: String? = nil) {
        let first = released.withLockedValue { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { pool.release(index, outcome: outcome, since: start, down: reason) }
    }

    deinit { release(outcome: "cancelled") }
}

/// No backend came up within `--backend-wait`.
public struct PoolUnavailable: Error, Sendable, CustomStringConvertible {
    public var waited: Duration
    public var backends: [BackendStatus]

    public var description: String {
        let each = backends.map { "\($0.url) (\($0.lastError ?? "no answer yet"))" }.joined(separator: "; ")
        return "no backend became healthy within \(Int(waited.seconds)) s: \(each)"
    }
}
