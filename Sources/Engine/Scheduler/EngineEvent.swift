import GenRM

/// What the scheduler reports about a request, in order: the prompt was prefilled, text settled
/// for a choice (many times), a choice finished (once per choice). The stream ends after the last
/// choice finishes, or throws.
public enum EngineEvent: Sendable, Equatable {
    /// The prompt's cache was filled, at the instant the engine finished it (so time to the
    /// first token is the engine's, not the reader's).
    case prefilled(promptTokens: Int, at: ContinuousClock.Instant)
    /// The log-probability of every prompt token after the first under the tokens before it
    /// (and the likeliest alternatives), when the request asked for them (`promptLogprobs`);
    /// sent once, just before `.prefilled`.
    case promptLogprobs([TokenLogprob])
    /// Text of `choice` that became final (never taken back), with the log-probabilities of the
    /// tokens sampled since the last delta when they were asked for.
    case delta(choice: Int, text: String, logprobs: [TokenLogprob])
    case finished(choice: Int, ChoiceResult)
}

/// How one choice ended.
public struct ChoiceResult: Sendable, Equatable {
    /// The whole text of the choice (the concatenation of its deltas).
    public var text: String
    public var finishReason: FinishReason
    /// The stop string or stop token that ended the text; nil for end of turn, budget or skeleton.
    public var stopReason: StopReason?
    /// Tokens the choice produced (sampled or written by the skeleton).
    public var completionTokens: Int
    /// The model's probabilities at the score slots (structured judging only).
    public var readout: ScoreReadout?
}

/// OpenAI's `finish_reason`.
public enum FinishReason: String, Sendable, Equatable {
    /// Ended on its own: end of turn, a stop string or token, or a completed judging skeleton.
    case stop
    /// Cut by `max_tokens` or the context window.
    case length
}

/// vLLM's `stop_reason`: the stop string (or `stop_token_ids` entry) that ended the text.
public enum StopReason: Sendable, Equatable {
    case string(String)
    case token(Int)
}

/// One sampled token's log-probability under the model (log-softmax of the raw logits) and the
/// likeliest alternatives.
public struct TokenLogprob: Sendable, Equatable {
    public var token: Int
    public var bytes: [UInt8]
    public var logprob: Double
    /// The token's place in the distribution: 1 for the likeliest (vLLM's `rank`).
    public var rank: Int
    /// Most likely first.
    public var top: [Alternative]

    public struct Alternative: Sendable, Equatable {
        public var token: Int
        public var bytes: [UInt8]
        public var logprob: Double
    }
}

/// Why the scheduler refused or dropped a request, in the engine's terms (a server names its own
/// flags when it reports one).
public enum SchedulerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every running slot and every queue place is taken.
    case overloaded(runningSequences: Int, maxRunningSequences: Int, queuedRequests: Int, maxQueuedRequests: Int)
    /// The request asks for more parallel choices than may ever run at once.
    case tooManyChoices(requested: Int, maxRunningSequences: Int)
    case noChoices
    case emptyPrompt
    /// The prompt does not fit the context window.
    case promptTooLong(promptTokens: Int, contextLength: Int)
    /// Structured judging needs single-token digits the vocabulary does not have.
    case judgingUnavailable(JudgeDecodingError)
    /// The scheduler is draining or stopped.
    case shuttingDown
    /// The request's choices, each at its largest (prompt plus every token it may generate),
    /// would hold more memory than the scheduler may ever use.
    case exceedsMemory(choices: Int, positions: Int, bytesPerChoice: Int, budget: Int)

    public var description: String {
        switch self {
        case .overloaded(let running, let maxRunning, let queued, let maxQueued):
            "the scheduler is at capacity: \(running) of \(maxRunning) sequences running and \(queued) of \(maxQueued) requests queued; retry later"
        case .tooManyChoices(let requested, let maxRunning):
            "\(requested) choices exceed the \(maxRunning) sequences the scheduler runs at once"
        case .noChoices:
            "a request needs at least one choice"
        case .emptyPrompt:
            "the prompt has no tokens"
        case .promptTooLong(let promptTokens, let contextLength):
            "the prompt has \(promptTokens) tokens but the context holds \(contextLength)"
        case .judgingUnavailable(let reason):
            "structured judging is not available for this model: \(reason)"
        case .shuttingDown:
            "the scheduler is shutting down"
        case .exceedsMemory(let choices, let positions, let each, let budget):
            "\(choices) choice\(choices == 1 ? "" : "s") of up to \(positions) positions would hold "
                + "\(ByteSize.describe(choices.multipliedReportingOverflow(by: each).overflow ? Int.max : choices * each)) "
                + "of KV cache and decode buffers (\(ByteSize.describe(each)) each), more than the "
                + "\(ByteSize.describe(budget)) the engine may use for them"
        }
    }
}
