/// How a pool of OpenAI-compatible servers is reached, routed, checked and retried. The defaults
/// are the CLI's (`--backend-max-inflight 64`, `--retries 3`, `--request-timeout 1800`,
/// `--backend-wait 60`): GenRM outputs run to 32k tokens, so a request may take many minutes.
public struct PoolConfiguration: Sendable {
    public var endpoints: [BackendEndpoint]
    /// Sent as `Authorization: Bearer KEY` to every backend.
    public var apiKey: String?
    /// The model to ask for; nil = the one model each backend's `/v1/models` lists.
    public var model: String?
    /// Requests one backend takes at once; more wait for a slot.
    public var maxInflight = 64
    /// Further tries after a retryable failure, each on another healthy backend when there is one.
    public var retries = 3
    public var requestTimeout: Duration = .seconds(1800)
    public var connectTimeout: Duration = .seconds(5)
    public var healthInterval: Duration = .seconds(5)
    public var healthTimeout: Duration = .seconds(5)
    /// How long start-up waits for a first healthy backend.
    public var wait: Duration = .seconds(60)
    /// Retry k (from 0) waits backoff x 2^k, +-20% jitter.
    public var backoff: Duration = .milliseconds(500)
    /// Health: down after this many consecutive failed checks (or at once on a refused connection).
    public var failuresToDown = 3
    /// Health: up again after this many consecutive good checks.
    public var successesToUp = 2

    public init(endpoints: [BackendEndpoint], apiKey: String? = nil, model: String? = nil) {
        self.endpoints = endpoints
        self.apiKey = apiKey
        self.model = model
    }

    /// Rejects settings that cannot work, naming the option.
    public func validate() throws(BackendConfigurationError) {
        guard !endpoints.isEmpty else { throw .noBackends }
        guard maxInflight >= 1 else { throw .outOfRange(option: "--backend-max-inflight", value: "\(maxInflight)", rule: "must be >= 1") }
        guard retries >= 0 else { throw .outOfRange(option: "--retries", value: "\(retries)", rule: "must be >= 0") }
        guard requestTimeout > .zero else {
            throw .outOfRange(option: "--request-timeout", value: "\(requestTimeout)", rule: "must be > 0")
        }
        guard wait >= .zero else { throw .outOfRange(option: "--backend-wait", value: "\(wait)", rule: "must be >= 0") }
        if let model, model.isEmpty { throw .outOfRange(option: "--backend-model", value: "\"\"", rule: "must not be empty") }
    }
}
