import ArgumentParser
import Foundation
import Remote

/// `genrm backends`: look at remote servers before judging with them.
struct BackendsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backends", abstract: "Check OpenAI-compatible servers as judge backends.",
        subcommands: [BackendsCheckCommand.self])
}

/// `genrm backends check URL...`: one line per backend.
struct BackendsCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Reachability, models, GenRM roles and logprobs of each backend, one line each.",
        discussion: "Exit status: 0 when every backend is usable as a judge backend, 1 otherwise, 64 usage error.")

    @Argument(help: "Backend base URLs (default: $GENRM_BACKENDS).")
    var urls: [String] = []

    @Option(help: "Model to ask for (default: the one model each lists).")
    var backendModel: String?

    @Option(help: "Bearer key (default: $GENRM_BACKEND_API_KEY).")
    var backendApiKey: String?

    @Option(parsing: .unconditional, help: "Seconds each probe may take.")
    var timeout = 60.0

    func run() async throws {
        var remote = BackendArguments()
        remote.backends = urls
        remote.backendModel = backendModel
        remote.backendApiKey = backendApiKey
        let endpoints: [BackendEndpoint]
        do {
            endpoints = try remote.urls.map(BackendEndpoint.init)
            guard !endpoints.isEmpty else { throw BackendConfigurationError.noBackends }
        } catch {
            throw CLIExit.report(error)
        }
        let http = BackendHTTP(apiKey: remote.apiKey)
        let limit = Duration.milliseconds(Int64(timeout * 1000))
        var checks: [BackendCheck] = []
        for endpoint in endpoints {
            checks.append(await BackendCheck.run(endpoint, http: http, model: backendModel, timeout: limit))
        }
        await http.shutdown()
        FileHandle.standardOutput.write(Data(checks.map { $0.line + "\n" }.joined().utf8))
        if checks.contains(where: { !$0.usable }) { throw ExitCode(CLIExit.failureStatus) }
    }
}
