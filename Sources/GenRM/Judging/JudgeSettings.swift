/// How a backend samples judgments. Defaults follow NVIDIA's greedy judging (temperature 0,
/// top-p 1); voting uses sampling (NVIDIA: temperature 0.6, top-p 0.95).
public struct JudgeSettings: Sendable, Hashable {
    /// Temperature, top-p, top-k, min-p and the seed; vote i samples with seed + i
    /// (``SamplingParameters/choices(_:)``), so a run is reproducible.
    public var sampling: SamplingParameters
    /// Cap on generated tokens per vote; nil = the backend's default (free generation: what the
    /// context leaves).
    public var maxTokens: Int?
    /// Decode the output skeleton under constraint (markers forced, score digits restricted and
    /// read out as probabilities). Backends that cannot constrain decoding generate freely.
    public var structured: Bool
    /// Structured decoding: token budget of the reasoning before `</think>` (0 = none).
    public var reasoningTokens: Int
    /// Structured decoding: token budget of each response's analysis.
    public var analysisTokens: Int

    public init(
        temperature: Double = 0, topP: Double = 1, topK: Int = 0, minP: Double = 0, seed: UInt64 = 1,
        maxTokens: Int? = nil, structured: Bool = true, reasoningTokens: Int = 96, analysisTokens: Int = 64
    ) {
        self.init(
            sampling: SamplingParameters(temperature: temperature, topK: topK, topP: topP, minP: minP, seed: seed), maxTokens: maxTokens,
            structured: structured, reasoningTokens: reasoningTokens, analysisTokens: analysisTokens)
    }

    public init(sampling: SamplingParameters, maxTokens: Int? = nil, structured: Bool = true, reasoningTokens: Int = 96, analysisTokens: Int = 64) {
        self.sampling = sampling
        self.maxTokens = maxTokens
        self.structured = structured
        self.reasoningTokens = reasoningTokens
        self.analysisTokens = analysisTokens
    }

    /// NVIDIA's settings for sampled judging (voting): temperature 0.6, top-p 0.95.
    public static let sampled = JudgeSettings(temperature: 0.6, topP: 0.95)

    /// The sampling a judgment of `votes` votes gets when the caller sets none: greedy for one
    /// vote, NVIDIA's sampled settings for several.
    public static func defaultSampling(votes: Int, seed: UInt64 = 1) -> SamplingParameters {
        var sampling = votes > 1 ? sampled.sampling : SamplingParameters.greedy
        sampling.seed = seed
        return sampling
    }

    /// Rejects out-of-range values, naming the field.
    public func validate() throws(ParameterRangeError) {
        try sampling.validate()
        if let maxTokens, maxTokens < 1 { throw ParameterRangeError("max_tokens", maxTokens, "must be >= 1") }
        guard reasoningTokens >= 0 else { throw ParameterRangeError("reasoning_tokens", reasoningTokens, "must be >= 0") }
        guard analysisTokens >= 0 else { throw ParameterRangeError("analysis_tokens", analysisTokens, "must be >= 0") }
    }
}
