/// Why one request to one backend failed, and whether another try (on this or another backend)
/// may succeed: connection trouble, timeouts and the server-side statuses vLLM and proxies use
/// for overload (408, 429, 500, 502, 503, 504) are retried; any other 4xx is the request's own
/// error and passes through with the backend's message.
public enum BackendFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing accepts connections there (refused, or the connect timed out): the backend is down.
    case refused(backend: String, reason: String)
    /// The connection broke (reset, closed mid-response).
    case unreachable(backend: String, reason: String)
    /// No complete answer within the timeout.
    case timedOut(backend: String, seconds: Double)
    /// The backend answered with an error status; `message` is its own words.
    case status(backend: String, code: Int, message: String)
    /// A 2xx answer that is not what the API promises.
    case malformed(backend: String, reason: String)

    public static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    public var isRetryable: Bool {
        switch self {
        case .refused, .unreachable, .timedOut, .malformed: true
        case .status(_, let code, _): Self.retryableStatuses.contains(code)
        }
    }

    /// Whether the backend itself looks gone (not just this request): the pool marks it down.
    public var meansBackendDown: Bool {
        if case .refused = self { return true }
        return false
    }

    public var backend: String {
        switch self {
        case .refused(let backend, _), .unreachable(let backend, _), .timedOut(let backend, _), .status(let backend, _, _),
             .malformed(let backend, _): backend
        }
    }

    public var description: String { "\(backend): \(reason)" }

    /// What went wrong, without the backend's name.
    public var reason: String {
        switch self {
        case .refused(_, let reason): "unreachable (\(reason))"
        case .unreachable(_, let reason): "connection broke (\(reason))"
        case .timedOut(_, let seconds): "no answer within \(Self.format(seconds)) s"
        case .status(_, let code, let message): "HTTP \(code): \(message)"
        case .malformed(_, let reason): "malformed answer (\(reason))"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// A request the pool gave up on: every try failed. Names the backends tried and the last error.
public struct PoolFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Backends tried, in order (a backend may appear more than once).
    public var tried: [String]
    /// The pool's backends, for the message when none was usable.
    public var backends: [String]
    /// Every failure, in order; the last one decides the status a gateway answers with.
    public var failures: [BackendFailure]
    /// The backends no try reached, each with why it could not take one (down, or no health
    /// check answered yet), so the message names every backend.
    public var untried: [String]
    /// The last failure; nil when no backend could be tried.
    public var last: BackendFailure? { failures.last }

    public init(tried: [String], backends: [String], failures: [BackendFailure], untried: [String] = []) {
        self.tried = tried
        self.backends = backends
        self.failures = failures
        self.untried = untried
    }

    /// The last failure was the request's own (a 4xx other than 408/429): not the pool's fault.
    public var isRequestError: Bool { last.map { !$0.isRetryable } ?? false }

    public var description: String {
        guard let last else {
            return "no healthy backend among \(backends.joined(separator: ", "))"
        }
        if isRequestError { return last.description }
        let attempts = tried.count == 1 ? "1 try" : "\(tried.count) tries"
        var seen: Set<String> = []
        let distinct = failures.map(\.description).filter { seen.insert($0).inserted }
        let rest = untried.isEmpty ? "" : "; not tried: " + untried.joined(separator: "; ")
        return "all backends failed (\(attempts) over \(Array(Set(tried)).sorted().joined(separator: ", "))): "
            + distinct.joined(separator: "; ") + rest
    }
}
