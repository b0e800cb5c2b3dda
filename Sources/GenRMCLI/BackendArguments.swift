import ArgumentParser
import Foundation
import Remote

/// Options of every command that can judge over remote OpenAI-compatible servers instead of the
/// embedded engine (`judge`, `eval run`, `rewards`, `serve`). With a backend, no local model is
/// loaded.
struct BackendArguments: ParsableArguments {
    @Option(name: .customLong("backend"), help: ArgumentHelp(
        "An OpenAI-compatible server base URL (http://host:8000/v1); repeat for a pool (default: $GENRM_BACKENDS, comma-separated).",
        valueName: "url"))
    var backends: [String] = []

    @Option(help: "Model to ask the backends for (default: the one model their /v1/models lists).")
    var backendModel: String?

    @Option(help: "Bearer key sent to the backends (default: $GENRM_BACKEND_API_KEY).")
    var backendApiKey: String?

    @Option(help: "How the judging request is sent: roles (the card's messages), messages (the judging prompt as chat) or text (/v1/completions).")
    var backendPrompt: BackendPromptMode = .roles

    @Option(parsing: .unconditional, help: "Requests one backend takes at once.")
    var backendMaxInflight = 64

    @Option(parsing: .unconditional, help: "Further tries of a failed backend request (connection errors, timeouts, 408/429/5xx), on another backend when one is healthy.")
    var retries = 3

    @Option(parsing: .unconditional, help: "Seconds one backend request may take (GenRM outputs run to 32k tokens).")
    var requestTimeout = 1800.0

    @Option(parsing: .unconditional, help: "Seconds to wait at start for a first healthy backend.")
    var backendWait = 60.0

    /// --backend, else $GENRM_BACKENDS.
    var urls: [String] {
        if !backends.isEmpty { return backends }
        let environment = ProcessInfo.processInfo.environment["GENRM_BACKENDS"] ?? ""
        return environment.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    var isRemote: Bool { !urls.isEmpty }

    var apiKey: String? {
        backendApiKey ?? ProcessInfo.processInfo.environment["GENRM_BACKEND_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func validate() throws {
        do {
            if isRemote { _ = try poolConfiguration() }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func poolConfiguration() throws -> PoolConfiguration {
        var configuration = PoolConfiguration(endpoints: try urls.map(BackendEndpoint.init), apiKey: apiKey, model: backendModel)
        configuration.maxInflight = backendMaxInflight
        configuration.retries = retries
        guard requestTimeout > 0, requestTimeout.isFinite else {
            throw BackendConfigurationError.outOfRange(option: "--request-timeout", value: "\(requestTimeout)", rule: "must be > 0")
        }
        guard backendWait >= 0, backendWait.isFinite else {
            throw BackendConfigurationError.outOfRange(option: "--backend-wait", value: "\(backendWait)", rule: "must be >= 0")
        }
        configuration.requestTimeout = .milliseconds(Int64(requestTimeout * 1000))
        configuration.wait = .milliseconds(Int64(backendWait * 1000))
        try configuration.validate()
        return configuration
    }
}

extension BackendPromptMode: ExpressibleByArgument {}
