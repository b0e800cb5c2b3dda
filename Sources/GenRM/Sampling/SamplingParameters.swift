/// How the next token is chosen from the logits: the one sampling type of genrm, used by the
/// engine's sampler, the judge's settings, the server's requests, the CLI's options and the
/// remote backends' request bodies. Filters apply in the order temperature -> top-k -> top-p ->
/// min-p (as in Hugging Face `generate`), after `logit_bias`, the `min_tokens` mask and vLLM's
/// three repetition penalties (which apply before greedy's arg-max too). ``validate()`` is the one
/// range check.
public struct SamplingParameters: Sendable, Hashable {
    /// 0 picks the arg-max (greedy); otherwise logits are divided by it before the softmax.
    public var temperature: Double
    /// Keep only the `topK` most likely tokens; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose mass reaches `topP`; 1 keeps all.
    public var topP: Double
    /// Drop tokens less likely than `minP` times the most likely one; 0 keeps all.
    public var minP: Double
    /// Seed of the per-sequence random stream.
    public var seed: UInt64
    /// Added to the named tokens' logits before anything else (OpenAI's `logit_bias`): -100
    /// practically bans a token, +100 practically forces it.
    public var logitBias: [Int: Float]
    /// vLLM's `presence_penalty`: subtracted once from the logit of every token already generated
    /// (prompt tokens do not count); in [-2, 2], 0 = off.
    public var presencePenalty: Double
    /// vLLM's `frequency_penalty`: subtracted from a token's logit once per time it was generated;
    /// in [-2, 2], 0 = off.
    public var frequencyPenalty: Double
    /// vLLM's multiplicative `repetition_penalty` on every token of the prompt or the output: a
    /// positive logit is divided by it, any other multiplied; in (0, 2], 1 = off.
    public var repetitionPenalty: Double
    /// vLLM's `min_tokens`: until this many tokens were generated the stop tokens (EOS, end of
    /// turn, `stop_token_ids`) cannot be sampled and stop strings do not end the text.
    public var minTokens: Int

    public init(
        temperature: Double = 0, topK: Int = 0, topP: Double = 1, minP: Double = 0, seed: UInt64 = 0, logitBias: [Int: Float] = [:],
        presencePenalty: Double = 0, frequencyPenalty: Double = 0, repetitionPenalty: Double = 1, minTokens: Int = 0
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.seed = seed
        self.logitBias = logitBias
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.repetitionPenalty = repetitionPenalty
        self.minTokens = minTokens
    }

    /// The largest bias magnitude `logitBias` accepts (OpenAI's range).
    public static let maxLogitBias: Float = 100

    public static let greedy = SamplingParameters()

    public var isGreedy: Bool { temperature == 0 }

    /// Whether a penalty depends on the tokens seen so far.
    public var hasPenalties: Bool { presencePenalty != 0 || frequencyPenalty != 0 || repetitionPenalty != 1 }

    /// Checks every field; the error names the first bad one with its rule.
    public func validate() throws(ParameterRangeError) {
        guard temperature.isFinite, temperature >= 0 else { throw ParameterRangeError("temperature", temperature, "must be >= 0") }
        guard topK >= 0 else { throw ParameterRangeError("top_k", topK, "must be >= 0 (0 = off)") }
        guard topP.isFinite, topP > 0, topP <= 1 else { throw ParameterRangeError("top_p", topP, "must be in (0, 1]") }
        guard minP.isFinite, minP >= 0, minP <= 1 else { throw ParameterRangeError("min_p", minP, "must be in [0, 1]") }
        guard presencePenalty.isFinite, abs(presencePenalty) <= 2 else {
            throw ParameterRangeError("presence_penalty", presencePenalty, "must be in [-2, 2]")
        }
        guard frequencyPenalty.isFinite, abs(frequencyPenalty) <= 2 else {
            throw ParameterRangeError("frequency_penalty", frequencyPenalty, "must be in [-2, 2]")
        }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0, repetitionPenalty <= 2 else {
            throw ParameterRangeError("repetition_penalty", repetitionPenalty, "must be in (0, 2]")
        }
        guard minTokens >= 0 else { throw ParameterRangeError("min_tokens", minTokens, "must be >= 0") }
        for (token, bias) in logitBias.sorted(by: { $0.key < $1.key }) {
            guard token >= 0 else { throw ParameterRangeError("logit_bias", token, "keys must be token ids >= 0") }
            guard bias.isFinite, abs(bias) <= Self.maxLogitBias else {
                throw ParameterRangeError("logit_bias", "\"\(token)\": \(bias)", "biases must be in [-100, 100]")
            }
        }
    }

    /// `count` parameter sets for `count` choices (or votes) of one request: choice i samples with
    /// seed + i, so the choices differ yet the request reproduces.
    public func choices(_ count: Int) -> [SamplingParameters] {
        (0..<count).map { index in
            var choice = self
            choice.seed = seed &+ UInt64(index)
            return choice
        }
    }
}
