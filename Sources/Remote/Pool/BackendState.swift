/// What the pool knows of one backend: health, load, the model it serves, and its tallies.
struct BackendState: Sendable {
    let endpoint: BackendEndpoint
    /// Up: takes requests. A backend starts down and comes up on its first good check.
    var healthy = false
    /// Whether any check has answered yet (the first good one brings it up at once).
    var everUp = false
    var consecutiveFailures = 0
    var consecutiveSuccesses = 0
    var inFlight = 0
    /// The model id requests name; resolved from `/v1/models` on the first good check.
    var model: String?
    /// Why it is down (or the last thing that went wrong).
    var lastError: String?
    /// The backend has no `/health` (llama.cpp's Python server): check `/v1/models` instead.
    var checksModels = false
    /// Requests by outcome: ok, retried (a retryable failure), rejected (the request's own 4xx).
    var outcomes: [String: Int] = [:]
    var retries = 0

    init(endpoint: BackendEndpoint) {
        self.endpoint = endpoint
    }

    /// A health check's verdict: up on the first success ever, then after `toUp` in a row; down
    /// after `toDown` failures in a row, or at once when `hard` (connection refused).
    mutating func recordCheck(ok: Bool, hard: Bool, error: String?, toUp: Int, toDown: Int) {
        if ok {
            consecutiveFailures = 0
            consecutiveSuccesses += 1
            if !everUp || consecutiveSuccesses >= toUp { healthy = true }
            everUp = true
            lastError = nil
        } else {
            consecutiveSuccesses = 0
            consecutiveFailures += 1
            lastError = error
            if hard || consecutiveFailures >= toDown { healthy = false }
        }
    }

    /// A request found the backend gone: down now; checks bring it back.
    mutating func markDown(_ reason: String) {
        healthy = false
        consecutiveSuccesses = 0
        lastError = reason
    }
}

/// One backend as the pool sees it now (for `/metrics`, `/health` and error messages).
public struct BackendStatus: Sendable, Hashable {
    public var url: String
    public var healthy: Bool
    public var inFlight: Int
    public var model: String?
    public var lastError: String?
    public var outcomes: [String: Int]
    public var retries: Int
}
