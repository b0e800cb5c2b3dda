import Engine
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `genrm serve`: the OpenAI-compatible judging server over the embedded engine.
///
/// Build it from a loaded model, then `run()` it (until SIGTERM/SIGINT) or, in tests, run
/// `application(onRunning:)` inside a task and cancel the task to stop.
public final class GenRMServer: Sendable {
    public let configuration: ServerConfiguration
    let served: ServedModel
    let metrics = ServerMetrics()
    let logger: Logger

    public init(model: EmbeddedModel, configuration: ServerConfiguration, logger: Logger = Logger(label: "genrm.serve")) throws {
        self.configuration = configuration
        self.logger = logger
        served = ServedModel(model: model, configuration: configuration)
        served.scheduler.start()
    }

    /// Logs to stderr: requests at info, or only warnings and errors when `quiet`. Call once.
    public static func bootstrapLogging(quiet: Bool) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .warning : .info
            return handler
        }
    }

    /// The scheduler behind every route (tests read its load).
    public var scheduler: BatchScheduler { served.scheduler }

    /// The Hummingbird application: routes, auth, OpenAI error bodies, metrics. `onRunning`
    /// receives the bound port once the server listens.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        let info = InfoRoutes(served: served, metrics: metrics)
        router.get("/health") { _, _ in info.health() }
        router.get("/metrics") { _, _ in info.prometheus() }
        router.get("/openapi.json") { _, _ in info.openAPI() }
        let v1 = router.group("/v1")
        if let key = configuration.apiKey { v1.add(middleware: APIKeyMiddleware(key: key)) }
        let chat = ChatCompletionsRoute(served: served, metrics: metrics)
        let judge = JudgeRoute(served: served, metrics: metrics)
        v1.get("/models") { _, _ in try info.models() }
        v1.post("/chat/completions") { request, context in try await chat.respond(request, context) }
        v1.post("/judge") { request, context in try await judge.respond(request, context) }
        let responder = ServerResponder(inner: router.buildResponder(), metrics: metrics)
        let logger = logger
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "genrm"),
            onServerRunning: { channel in
                await onRunning(channel.localAddress?.port ?? 0)
            },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT; then refuses new work (503), lets running requests finish
    /// within the grace period, cancels the rest, and returns.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [application(onRunning: onRunning), SchedulerDrain(server: self)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Stops taking work, waits up to the grace period, then cancels what still runs.
    public func drain() async {
        served.scheduler.stopAccepting()
        if await !served.scheduler.waitUntilIdle(timeout: configuration.shutdownGrace) {
            logger.warning("cancelling requests still running after the \(configuration.shutdownGrace) grace period")
            served.scheduler.cancelAll()
            _ = await served.scheduler.waitUntilIdle(timeout: .seconds(5))
        }
    }
}

/// Shut down before the HTTP server (services stop in reverse order), so in-flight requests end
/// within the grace period instead of holding the server's own graceful shutdown open.
struct SchedulerDrain: Service {
    let server: GenRMServer

    func run() async throws {
        try? await gracefulShutdown()
        await server.drain()
    }
}
