import JSON

extension JudgeSettings {
    /// The judge's settings from a request body (`/v1/judge`, `/v1/rewards`): the sampling fields
    /// (absent ones greedy for one vote, NVIDIA's 0.6 / 0.95 for several, seed 1), `max_tokens` /
    /// `max_completion_tokens`, `structured`, `reasoning_tokens` and `analysis_tokens` (absent
    /// ones from `base`). Every error names its field.
    public init<Failure>(_ fields: JSONFields<Failure>, votes: Int, base: JudgeSettings = JudgeSettings()) throws(Failure) {
        let sampling = try SamplingParameters(fields, defaults: JudgeSettings.defaultSampling(votes: votes, seed: base.sampling.seed))
        self.init(
            sampling: sampling, maxTokens: try fields.maxTokens().value, structured: try fields.bool("structured") ?? base.structured,
            reasoningTokens: try fields.int("reasoning_tokens") ?? base.reasoningTokens,
            analysisTokens: try fields.int("analysis_tokens") ?? base.analysisTokens)
        do {
            try validate()
        } catch {
            throw fields.fail(error.field, "= \(error.value) is out of range: \(error.rule)")
        }
    }
}
