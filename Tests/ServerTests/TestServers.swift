import Catalog
import Engine
import Foundation
import GenRM
import Hummingbird
@testable import Server

/// Real servers on loopback ports for the tests, over the real default model (loaded once).
/// Small structured budgets keep judgments fast on a shared 2-core machine.
struct RunningServer: Sendable {
    let server: GenRMServer
    let port: Int

    func post(_ path: String, _ json: [String: Any], headers: [String: String] = [:]) async throws -> LoopbackHTTP.Reply {
        try await LoopbackHTTP.post(port: port, path: path, json: json, headers: headers)
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> LoopbackHTTP.Reply {
        try await LoopbackHTTP.request(port: port, path: path, headers: headers)
    }

    /// Polls until `condition` holds for the scheduler's stats (or fails after `seconds`, generous
    /// because the whole test run shares two cores).
    func waitFor(seconds: Double = 120, _ condition: @Sendable (BatchScheduler.Stats) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(server.scheduler!.stats) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LoopbackHTTP.LoopbackError("condition not reached in \(seconds)s; stats \(server.scheduler!.stats)")
    }
}

enum TestServers {
    static let servedName = "genrm-test-model"

    static let model: Task<EmbeddedModel, any Error> = Task {
        let path = try ModelCache.fromEnvironment().require(.smolLM2).path
        return try EmbeddedModel(path: path)
    }

    static func configuration(_ change: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServerConfiguration {
        let model = try await model.value
        var configuration = ServerConfiguration(
            port: 0, servedModelName: servedName, maxModelLength: model.contextLength, maxNumSeqs: 8, maxQueue: 16,
            reasoningTokens: 6, analysisTokens: 6, promptBuilder: try JudgePromptBuilder.bundled(), shutdownGrace: .seconds(2))
        // The idle timeout (5 s by default) also closes a connection whose answer is owed by the
        // async side when the cooperative threads are busy for that long, as they are on a 2-core
        // machine running the engine tests beside these: the test servers wait 120 s (the idle
        // tests set their own).
        configuration.keepAliveTimeout = .seconds(120)
        change(&configuration)
        return configuration
    }

    /// Starts a server; it runs until the process ends (tests share the few configurations).
    static func start(_ configuration: ServerConfiguration) async throws -> RunningServer {
        let server = try GenRMServer(model: try await model.value, configuration: configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = server.application { port in continuation.yield(port) }
        Task { try await application.run() }
        for await port in ports { return RunningServer(server: server, port: port) }
        throw LoopbackHTTP.LoopbackError("the server never reported its port")
    }

    /// The default configuration, shared by most tests.
    static let standard: Task<RunningServer, any Error> = Task { try await start(try await configuration()) }
    /// With an API key.
    static let keyed: Task<RunningServer, any Error> = Task { try await start(try await configuration { $0.apiKey = "sekret" }) }
    /// A short context, to exercise the length checks.
    static let shortContext: Task<RunningServer, any Error> = Task { try await start(try await configuration { $0.maxModelLength = 96 }) }
    /// For the completions and tokenize suites (each serialized), so that their requests never
    /// queue behind the chat tests' on `standard` (its --max-queue answers 503 beyond 16).
    static let completions: Task<RunningServer, any Error> = Task { try await start(try await configuration()) }
    /// Splits reasoning into `reasoning_content`.
    static let reasoning: Task<RunningServer, any Error> = Task { try await start(try await configuration { $0.reasoningParser = true }) }
}

/// Request bodies the tests use.
enum Bodies {
    static var chat: [String: Any] {
        [
        "model": TestServers.servedName, "messages": [["role": "user", "content": "Name a colour."]], "max_tokens": 6,
        "temperature": 0,
        ]
    }

    static let oneResponse: [[String: String]] = [
        ["role": "user", "content": "What is 1+1?"], ["role": "assistant", "content": "1+1=2"],
        ["role": "user", "content": "What about 1+2?"], ["role": "response_1", "content": "1+2=4"],
    ]

    static let twoResponses: [[String: String]] = oneResponse + [["role": "response_2", "content": "1+2=3"]]

    static func with(_ base: [String: Any], _ changes: [String: Any]) -> [String: Any] {
        base.merging(changes) { $1 }
    }
}
