import GenRM

/// One request for the batch scheduler: a tokenized prompt, one sampling setup per choice (`n`
/// choices share one prefill), and how each choice decodes.
public struct EngineRequest: Sendable {
    /// The rendered, tokenized prompt.
    public var prompt: [Int]
    /// One entry per choice; choice i typically uses seed + i so choices differ but reproduce.
    public var choices: [SamplingParameters]
    public var decoding: Decoding
    /// Report the log-probability of every prompt token after the first, with this many
    /// alternatives each (`.promptLogprobs`); nil: none. Such a prompt takes from the prefix
    /// cache only a prefix that was itself read for them (a reused row has no logits of its own),
    /// and is kept there with them.
    public var promptLogprobs: Int?

    public init(prompt: [Int], choices: [SamplingParameters], decoding: Decoding, promptLogprobs: Int? = nil) {
        self.prompt = prompt
        self.choices = choices
        self.decoding = decoding
        self.promptLogprobs = promptLogprobs
    }

    public enum Decoding: Sendable {
        /// Free text, as a chat completion.
        case text(TextDecoding)
        /// The GenRM output skeleton under constraint (see `JudgeSkeleton`), or a single free
        /// segment for unconstrained judging; each choice reports its score read-out, and with
        /// `topLogprobs` the log-probability of every output token (forced ones included).
        case judge(segments: [SkeletonSegment], topLogprobs: Int? = nil)
    }
}

/// When free text stops and what is reported with it.
public struct TextDecoding: Sendable, Equatable {
    /// Sampled tokens at most (a stop token counts, as in vLLM).
    public var maxTokens: Int
    /// Ids that end the text (end of turn, EOS, `stop_token_ids`); not part of the text.
    public var stopTokens: Set<Int>
    /// Strings that end the text; the text ends before the first one.
    public var stopStrings: [String]
    /// Leave special tokens out of the text (vLLM's `skip_special_tokens`, default true).
    public var skipSpecialTokens: Bool
    /// Report the log-probability of each sampled token and this many alternatives (nil = none).
    public var topLogprobs: Int?

    public init(
        maxTokens: Int, stopTokens: Set<Int> = [], stopStrings: [String] = [], skipSpecialTokens: Bool = true,
        topLogprobs: Int? = nil
    ) {
        self.maxTokens = maxTokens
        self.stopTokens = stopTokens
        self.stopStrings = stopStrings
        self.skipSpecialTokens = skipSpecialTokens
        self.topLogprobs = topLogprobs
    }
}
