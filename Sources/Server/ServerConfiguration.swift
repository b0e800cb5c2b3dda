import ChatTemplates
import Engine
import Foundation
import GenRM

/// Everything `genrm serve` is told on its command line.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); the bound port is reported once the server runs.
    public var port: Int
    /// The name clients put in `model`; requests naming another model get 404.
    public var servedModelName: String
    /// With a key, every `/v1/*` request needs `Authorization: Bearer <key>`.
    public var apiKey: String?
    /// Context length requests are checked against (prompt + max_tokens).
    public var maxModelLength: Int
    /// Sequences decoded together (vLLM `--max-num-seqs`); `n` choices count n each.
    public var maxNumSeqs: Int
    /// Requests waiting for a running slot; beyond it, 503 at once.
    public var maxQueue: Int
    /// GenRM-role chat completions decode the output skeleton under constraint (default), so even
    /// a small model returns a well-formed judgment in bounded time.
    public var structuredJudging: Bool
    /// Structured judging: token budgets of the reasoning and of each analysis.
    public var reasoningTokens: Int
    public var analysisTokens: Int
    /// Split `</think>` reasoning into `reasoning_content` (vLLM `--reasoning-parser`).
    public var reasoningParser: Bool
    /// How the judging prompt is written.
    public var promptBuilder: JudgePromptBuilder
    /// How long SIGTERM/SIGINT waits for running requests before cancelling them.
    public var shutdownGrace: Duration
    /// How long a connection may sit without sending a whole request part (an idle keep-alive
    /// connection, or one trickling its headers) before it is closed; uvicorn's (vLLM's)
    /// `--timeout-keep-alive`, 5 s by default there too. Never while a response is written.
    public var keepAliveTimeout: Duration = .seconds(5)
    /// The largest request body taken (`--max-request-bytes`); a larger one is refused with 413
    /// by its Content-Length before it is read, or once a chunked body passes it.
    public var maxRequestBytes = ServerConfiguration.defaultMaxRequestBytes
    /// Keep recent prompts so that requests opening the same way (every judging prompt) prefill
    /// only what differs (vLLM's automatic prefix caching; on by default).
    public var prefixCaching = true
    /// Bytes the engine may hold for running requests' KV cache and decode buffers
    /// (`--kv-cache-memory`); nil: 90% of what the system has available when it starts.
    public var kvCacheMemory: Int?
    /// A chat template replacing the model's (vLLM `--chat-template`), with where it came from.
    public var chatTemplate: (template: ChatTemplate, source: String)?

    public init(
        host: String = "127.0.0.1", port: Int = 5000, servedModelName: String, apiKey: String? = nil,
        maxModelLength: Int, maxNumSeqs: Int = 16, maxQueue: Int = 64, structuredJudging: Bool = true,
        reasoningTokens: Int = JudgeSettings().reasoningTokens, analysisTokens: Int = JudgeSettings().analysisTokens,
        reasoningParser: Bool = false, promptBuilder: JudgePromptBuilder, shutdownGrace: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.servedModelName = servedModelName
        self.apiKey = apiKey
        self.maxModelLength = maxModelLength
        self.maxNumSeqs = maxNumSeqs
        self.maxQueue = maxQueue
        self.structuredJudging = structuredJudging
        self.reasoningTokens = reasoningTokens
        self.analysisTokens = analysisTokens
        self.reasoningParser = reasoningParser
        self.promptBuilder = promptBuilder
        self.shutdownGrace = shutdownGrace
    }
}

extension ServerConfiguration {
    /// 16 MiB: a judging request is a conversation and one or two responses, and even a whole
    /// 1M-token context is a few MB of JSON-escaped text; past that a body is a mistake or an
    /// attack, refused before it is held in memory and tokenized.
    public static let defaultMaxRequestBytes = 16 << 20

    /// The scheduler limits these flags set (--max-num-seqs, --max-queue, --max-model-len,
    /// --no-enable-prefix-caching, --kv-cache-memory).
    public var schedulerLimits: BatchScheduler.Limits {
        var limits = Self.schedulerLimits(maxNumSeqs: maxNumSeqs, maxQueue: maxQueue, maxModelLength: maxModelLength, prefixCaching: prefixCaching)
        limits.memoryBudget = kvCacheMemory
        return limits
    }

    /// The same limits from the flags alone (`genrm serve` starts the scheduler before the
    /// configuration exists).
    public static func schedulerLimits(maxNumSeqs: Int, maxQueue: Int, maxModelLength: Int, prefixCaching: Bool) -> BatchScheduler.Limits {
        BatchScheduler.Limits(
            maxRunningSequences: maxNumSeqs, maxQueuedRequests: maxQueue, contextLength: maxModelLength,
            prefixCacheEntries: prefixCaching ? 4 : 0)
    }
}
