import ArgumentParser
import ChatTemplates
import Engine
import Foundation
import GenRM
import Server

/// `genrm serve`: the OpenAI-compatible judging server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the model over an OpenAI-compatible API (/v1/chat/completions, /v1/judge, /v1/models).",
        discussion: """
            A drop-in for `vllm serve` as the GenRM model card uses it: chat completions with \
            response_1/response_2 roles are judged (under the structured skeleton unless \
            --no-structured-judging), other messages are ordinary chat. Concurrent requests are \
            batched; beyond --max-num-seqs running and --max-queue waiting, requests get 503. \
            SIGTERM/SIGINT stop accepting work, finish or cancel what runs, and exit 0. With \
            --backend (or $GENRM_BACKENDS) it is a gateway: the same API over a pool of remote \
            OpenAI-compatible servers (chat completions passed through, streaming included; \
            /v1/judge and /v1/rewards judged over the pool), with per-backend /metrics.
            """
    )

    @OptionGroup var engine: EngineArguments
    @OptionGroup var remote: BackendArguments
    @OptionGroup var promptArguments: JudgePromptArguments

    @Option(help: "Model name clients send in `model` (default: the model's own name).")
    var servedModelName: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on (0 picks a free one).")
    var port = 5000

    @Option(help: "Require `Authorization: Bearer KEY` on /v1/* (default: $GENRM_API_KEY, if set).")
    var apiKey: String?

    @Option(parsing: .unconditional, help: "Sequences decoded together at most; n choices count n each.")
    var maxNumSeqs = 16

    @Option(parsing: .unconditional, help: "Requests waiting for a slot at most; beyond it, 503 at once.")
    var maxQueue = 64

    @Flag(help: "Generate GenRM judgments freely instead of under the structured skeleton.")
    var noStructuredJudging = false

    @Option(help: "Structured judging: token budget of the reasoning before </think>.")
    var reasoningTokens = JudgeSettings().reasoningTokens

    @Option(help: "Structured judging: token budget of each analysis.")
    var analysisTokens = JudgeSettings().analysisTokens

    @Flag(help: "Put the text before </think> in `reasoning_content` (vLLM --reasoning-parser).")
    var reasoningParser = false

    @Option(parsing: .unconditional, help: "Seconds SIGTERM/SIGINT waits for running requests before cancelling them.")
    var shutdownGrace = 10

    @Option(parsing: .unconditional, help: "Seconds a connection may wait between whole requests (or take over its headers) before it is closed (uvicorn's --timeout-keep-alive).")
    var timeoutKeepAlive = 5.0

    @Option(parsing: .unconditional, help: """
        Largest request body taken, in bytes; a larger one gets 413 before it is read. The default, 16 MiB, \
        is far above any conversation a model's context holds (a whole 1M-token context is a few MB of JSON) \
        and keeps a runaway upload from being held in memory and tokenized.
        """)
    var maxRequestBytes = ServerConfiguration.defaultMaxRequestBytes

    @Flag(help: "Prefill every prompt whole instead of reusing what it shares with recent ones (vLLM spelling).")
    var noEnablePrefixCaching = false

    @Option(help: "A Jinja chat template replacing the model's: a file path, or the template itself (vLLM --chat-template).")
    var chatTemplate: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535, not \(port)") }
        guard maxNumSeqs >= 1 else { throw ValidationError("--max-num-seqs must be >= 1, not \(maxNumSeqs)") }
        guard maxQueue >= 0 else { throw ValidationError("--max-queue must be >= 0, not \(maxQueue)") }
        guard reasoningTokens >= 0, analysisTokens >= 0 else { throw ValidationError("token budgets must be >= 0") }
        guard timeoutKeepAlive > 0, timeoutKeepAlive.isFinite else {
            throw ValidationError("--timeout-keep-alive must be > 0, not \(timeoutKeepAlive)")
        }
        guard maxRequestBytes >= 1 else { throw ValidationError("--max-request-bytes must be >= 1, not \(maxRequestBytes)") }
        guard shutdownGrace >= 0 else { throw ValidationError("--shutdown-grace must be >= 0, not \(shutdownGrace)") }
    }

    func run() async throws {
        GenRMServer.bootstrapLogging(quiet: engine.quiet)
        let server: GenRMServer
        do {
            // The template is checked before the (possibly long) model load.
            let givenTemplate = try chatTemplate.map(Self.loadChatTemplate)
            let source = try await JudgeSource.open(engine: engine, remote: remote) { model in
                ServerConfiguration.schedulerLimits(
                    maxNumSeqs: maxNumSeqs, maxQueue: maxQueue, maxModelLength: model.contextLength, prefixCaching: !noEnablePrefixCaching)
            }
            let name: String
            let contextLength: Int
            switch source {
            case .embedded(let model, _):
                name = model.name
                contextLength = engine.maxModelLen ?? model.contextLength
            case .remote(let pool, _):
                name = pool.modelName
                contextLength = engine.maxModelLen ?? 0
            }
            var configuration = ServerConfiguration(
                host: host, port: port, servedModelName: servedModelName ?? name,
                apiKey: apiKey ?? ProcessInfo.processInfo.environment["GENRM_API_KEY"].flatMap { $0.isEmpty ? nil : $0 },
                maxModelLength: contextLength, maxNumSeqs: maxNumSeqs, maxQueue: maxQueue,
                structuredJudging: !noStructuredJudging, reasoningTokens: reasoningTokens, analysisTokens: analysisTokens,
                reasoningParser: reasoningParser, promptBuilder: try promptArguments.builder(),
                shutdownGrace: .seconds(shutdownGrace))
            configuration.chatTemplate = givenTemplate
            configuration.keepAliveTimeout = .milliseconds(Int64(timeoutKeepAlive * 1000))
            configuration.prefixCaching = !noEnablePrefixCaching
            configuration.kvCacheMemory = engine.kvCacheMemory.flatMap(ByteSize.parse)
            configuration.maxRequestBytes = maxRequestBytes
            switch source {
            case .embedded(let model, let scheduler): server = try GenRMServer(model: model, scheduler: scheduler, configuration: configuration)
            case .remote(let pool, let mode): server = GenRMServer(pool: pool, mode: mode, configuration: configuration)
            }
        } catch {
            throw CLIExit.report(error)
        }
        let host = host
        let name = server.configuration.servedModelName
        try await server.run { port in
            FileHandle.standardError.write(Data("genrm: serving \(name) at http://\(host):\(port)/v1\n".utf8))
        }
    }

    /// `--chat-template`: a readable file's text, else the argument itself when it looks like a
    /// template; either way it must parse.
    static func loadChatTemplate(_ argument: String) throws -> (template: ChatTemplate, source: String) {
        let text: String
        let source: String
        if FileManager.default.fileExists(atPath: argument) {
            do {
                text = try String(contentsOfFile: argument, encoding: .utf8)
            } catch {
                throw CLIFailure("--chat-template: cannot read \(argument): \(error.localizedDescription)")
            }
            source = argument
        } else if argument.contains("{{") || argument.contains("{%") {
            text = argument
            source = "--chat-template"
        } else {
            throw CLIFailure("--chat-template: no file at \(argument) (and it is not a template)")
        }
        do {
            return (try ChatTemplate(source: text), source)
        } catch {
            throw CLIFailure("--chat-template \(source) does not parse: \(error)")
        }
    }
}
