import Engine
import Foundation
import Prometheus
import Remote

/// The server's Prometheus metrics (`GET /metrics`): requests by route and status, latency,
/// prompt and generated tokens, and the scheduler's queue depth, running sequences and KV-cache
/// sequences (read from the scheduler when scraped).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let promptTokens: Counter
    private let generatedTokens: Counter
    private let queueDepth: Gauge
    private let runningSequences: Gauge
    private let cachedSequences: Gauge
    private let decodeSteps: Gauge
    private let meanBatch: Gauge
    private let prefixEntries: Gauge
    private let reusedPromptTokens: Gauge
    static let latencyBuckets: [Duration] = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300].map { .milliseconds(Int($0 * 1000)) }

    init() {
        promptTokens = registry.makeCounter(descriptor: Self.name("prompt_tokens", unit: "total", "Prompt tokens prefilled."))
        generatedTokens = registry.makeCounter(descriptor: Self.name("generation_tokens", unit: "total", "Tokens generated."))
        queueDepth = registry.makeGauge(descriptor: Self.name("queue", unit: "depth", "Requests waiting or prefilling."))
        runningSequences = registry.makeGauge(descriptor: Self.name("running", unit: "sequences", "Sequences being decoded."))
        cachedSequences = registry.makeGauge(descriptor: Self.name("kv_cache", unit: "sequences", "Sequences held in the KV cache."))
        decodeSteps = registry.makeGauge(descriptor: Self.name("decode", unit: "steps", "Batched decode steps run."))
        meanBatch = registry.makeGauge(descriptor: Self.name("mean_decode", unit: "batch", "Mean sequences per decode step."))
        prefixEntries = registry.makeGauge(descriptor: Self.name("prefix_cache", unit: "entries", "Recent prompts kept for prefix reuse."))
        reusedPromptTokens = registry.makeGauge(
            descriptor: Self.name("prefix_cache_reused_prompt_tokens", unit: "total", "Prompt tokens taken from the prefix cache instead of prefilled."))
    }

    /// `genrm_<metric>_<unit>`.
    static func name(_ metric: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "genrm", metricName: metric, unitName: unit, helpText: help)
    }

    func recordRequest(route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.name("requests", unit: "total", "HTTP requests by route and status."),
            labels: [("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("request_duration", unit: "seconds", "Time to the response head (streams: to the first byte)."),
            labels: [("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    func recordTokens(prompt: Int, generated: Int) {
        promptTokens.increment(by: Int64(prompt))
        generatedTokens.increment(by: Int64(generated))
    }

    /// Prometheus text with each backend's health and load (a gateway).
    func exposition(backends: [BackendStatus]) -> String {
        for backend in backends {
            registry.makeGauge(
                descriptor: Self.name("backend_healthy", unit: "state", "1 while the backend passes its health checks."),
                labels: [("backend", backend.url)]
            ).set(Double(backend.healthy ? 1 : 0))
            registry.makeGauge(
                descriptor: Self.name("backend_in_flight", unit: "requests", "Requests the backend is working on."),
                labels: [("backend", backend.url)]
            ).set(Double(backend.inFlight))
        }
        return registry.emitToString()
    }

    /// Prometheus text with the scheduler's current load.
    func exposition(stats: BatchScheduler.Stats) -> String {
        queueDepth.set(Double(stats.queuedRequests))
        runningSequences.set(Double(stats.runningSequences))
        cachedSequences.set(Double(stats.cachedSequences))
        decodeSteps.set(Double(stats.decodeSteps))
        meanBatch.set(stats.decodeSteps > 0 ? Double(stats.decodedRows) / Double(stats.decodeSteps) : 0)
        prefixEntries.set(Double(stats.prefixCacheEntries))
        reusedPromptTokens.set(Double(stats.reusedPromptTokens))
        return registry.emitToString()
    }
}

/// A gateway's per-backend request counts, retries and latency.
extension ServerMetrics: PoolObserver {
    func requestFinished(backend: String, outcome: String, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.name("backend_requests", unit: "total", "Backend requests by outcome (ok, retried, rejected, cancelled)."),
            labels: [("backend", backend), ("outcome", outcome)]
        ).increment()
        if outcome == "retried" {
            registry.makeCounter(
                descriptor: Self.name("backend_retries", unit: "total", "Backend requests that failed retryably and were tried again or given up."),
                labels: [("backend", backend)]
            ).increment()
        }
        registry.makeDurationHistogram(
            descriptor: Self.name("backend_request_duration", unit: "seconds", "Time a backend took per request (streams: to the head)."),
            labels: [("backend", backend)], buckets: Self.latencyBuckets
        ).record(duration)
    }
}
