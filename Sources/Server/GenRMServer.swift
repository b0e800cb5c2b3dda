import Engine
import Foundation
import GenRM
import Hummingbird
import Logging
import NIOCore
import Remote
import ServiceLifecycle
import UnixSignals

/// `genrm serve`: the OpenAI-compatible judging server, over the embedded engine or, as a
/// gateway, over a pool of remote OpenAI-compatible servers.
///
/// Build it from a loaded model or a started pool, then `run()` it (until SIGTERM/SIGINT) or, in
/// tests, run `application(onRunning:)` inside a task and cancel the task to stop.
public final class GenRMServer: Sendable {
    public let configuration: ServerConfiguration
    let serving: Serving
    let metrics = ServerMetrics()
    let logger: Logger

    /// What answers the routes.
    enum Serving: Sendable {
        case embedded(ServedModel)
        case gateway(Gateway)
    }

    /// A server on the embedded engine, over `scheduler` when given (started here if it is not
    /// yet), else over one made from the configuration's limits.
    public init(
        model: EmbeddedModel, scheduler: BatchScheduler? = nil, configuration: ServerConfiguration,
        logger: Logger = Logger(label: "genrm.serve")
    ) throws {
        self.configuration = configuration
        self.logger = logger
        let served = ServedModel(
            model: model, scheduler: scheduler ?? BatchScheduler(model: model.network, tokenizer: model.tokenizer, limits: configuration.schedulerLimits),
            configuration: configuration)
        served.scheduler.start()
        serving = .embedded(served)
    }

    /// The engine thread ends with the server.
    deinit {
        if case .embedded(let served) = serving { served.scheduler.shutdown() }
    }

    /// A gateway over `pool` (started and ready); `configuration.servedModelName` is the name
    /// clients use, the backends' own model ids are sent to them.
    public init(pool: BackendPool, mode: BackendPromptMode, configuration: ServerConfiguration, logger: Logger = Logger(label: "genrm.serve")) {
        self.configuration = configuration
        self.logger = logger
        pool.observe(metrics)
        serving = .gateway(Gateway(pool: pool, mode: mode))
    }

    /// Logs to stderr: requests at info, or only warnings and errors when `quiet`. Call once.
    public static func bootstrapLogging(quiet: Bool) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .warning : .info
            return handler
        }
    }

    /// The scheduler behind every route of an embedded server (tests read its load); nil for a gateway.
    public var scheduler: BatchScheduler? {
        if case .embedded(let served) = serving { return served.scheduler }
        return nil
    }

    var judgeService: JudgeService {
        let backend: any JudgeBackend = switch serving {
        case .embedded(let served): served.judgeBackend
        case .gateway(let gateway): gateway.backend
        }
        return JudgeService(judge: Judge(backend: backend, promptBuilder: configuration.promptBuilder), configuration: configuration)
    }

    /// The Hummingbird application: routes, auth, OpenAI error bodies, metrics. `onRunning`
    /// receives the bound port once the server listens.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: RequestSizeLimit(maxBytes: configuration.maxRequestBytes))
        let info = InfoRoutes(serving: serving, configuration: configuration, metrics: metrics)
        router.get("/health") { _, _ in info.health() }
        router.get("/metrics") { _, _ in info.prometheus() }
        router.get("/openapi.json") { _, _ in info.openAPI() }
        let v1 = router.group("/v1")
        if let key = configuration.apiKey { v1.add(middleware: APIKeyMiddleware(key: key)) }
        // vLLM's /tokenize and /detokenize sit at the root; they take the API key as /v1 does.
        let tokenizing = router.group("")
        if let key = configuration.apiKey { tokenizing.add(middleware: APIKeyMiddleware(key: key)) }
        let service = judgeService
        let judge = JudgeRoute(service: service, metrics: metrics)
        let rewards = RewardsRoute(service: service, metrics: metrics)
        v1.get("/models") { _, _ in try info.models() }
        switch serving {
        case .embedded(let served):
            let chat = ChatCompletionsRoute(served: served, metrics: metrics)
            v1.post("/chat/completions") { request, context in try await chat.respond(request, context) }
            let completions = CompletionsRoute(served: served, metrics: metrics)
            v1.post("/completions") { request, context in try await completions.respond(request, context) }
            let tokenizer = TokenizeRoutes(served: served)
            tokenizing.post("/tokenize") { request, context in try await tokenizer.tokenize(request, context) }
            tokenizing.post("/detokenize") { request, context in try await tokenizer.detokenize(request, context) }
        case .gateway(let gateway):
            // Forwarded to a backend as they are (a vLLM, or another genrm serve, answers them).
            for (group, path, target) in [
                (v1, "/chat/completions", GatewayForwardRoute.Target.api("/chat/completions")),
                (v1, "/completions", .api("/completions")), (tokenizing, "/tokenize", .root("/tokenize")),
                (tokenizing, "/detokenize", .root("/detokenize")),
            ] {
                let route = GatewayForwardRoute(gateway: gateway, service: service, metrics: metrics, target: target)
                group.post(RouterPath(path)) { request, context in try await route.respond(request, context) }
            }
        }
        v1.post("/judge") { request, context in try await judge.respond(request, context) }
        v1.post("/rewards") { request, context in try await rewards.respond(request, context) }
        let responder = ServerResponder(inner: router.buildResponder(), metrics: metrics)
        let logger = logger
        let idle = TimeAmount.nanoseconds(configuration.keepAliveTimeout.nanoseconds)
        return Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: Self.connectionHandlers(), idleTimeout: idle)),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "genrm"),
            onServerRunning: { channel in
                await onRunning(channel.localAddress?.port ?? 0)
            },
            logger: logger)
    }

    /// What each connection's pipeline adds to Hummingbird's: closing only after saying so, a JSON
    /// body on the parser's 400, and the client hang-up watch that cancels generations.
    static func connectionHandlers() -> [any RemovableChannelHandler] {
        [ConnectionCloseHandler(), MalformedRequestHandler(), ClientHangUpHandler()]
    }

    /// Serves until SIGTERM or SIGINT; then refuses new work (503), lets running requests finish
    /// within the grace period, cancels the rest, and returns.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [application(onRunning: onRunning), SchedulerDrain(server: self)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        if case .gateway(let gateway) = serving { await gateway.pool.shutdown() }
    }

    /// Stops taking work, waits up to the grace period, then cancels what still runs. A second
    /// SIGTERM or SIGINT during the wait cuts it short, as uvicorn (vLLM) does: what runs is
    /// cancelled at once.
    public func drain() async {
        guard case .embedded(let served) = serving else { return }
        served.scheduler.stopAccepting()
        let grace = configuration.shutdownGrace
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let end = await withTaskGroup(of: DrainEnd.self) { group in
            group.addTask { await served.scheduler.waitUntilIdle(timeout: grace) ? .idle : .graceOver }
            group.addTask {
                for await _ in signals { return .signal }
                return .graceOver  // cancelled: the wait ended first
            }
            let first = await group.next() ?? .graceOver
            group.cancelAll()
            return first
        }
        switch end {
        case .idle: return
        case .graceOver: logger.warning("cancelling requests still running after the \(grace) grace period")
        case .signal: logger.warning("second shutdown signal: cancelling running requests now")
        }
        served.scheduler.cancelAll()
        _ = await served.scheduler.waitUntilIdle(timeout: .seconds(5))
    }

    private enum DrainEnd: Sendable { case idle, graceOver, signal }
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
