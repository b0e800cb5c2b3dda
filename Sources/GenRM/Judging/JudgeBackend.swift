/// The one seam under the judge: whatever turns a judging prompt into model output. The embedded
/// engine and remote OpenAI-compatible servers (vLLM) implement it; the judge (request -> prompt
/// -> backend -> parser -> votes -> verdict) is written once above it.
public protocol JudgeBackend: Sendable {
    /// The model behind this backend, reported with every judgment.
    var modelName: String { get }

    /// `votes` independent completions of one judging prompt. A backend that can constrain its
    /// decoding honours `settings.structured` and fills `JudgeCompletion.readout`; one that cannot
    /// generates freely and leaves the readout nil. Vote `i` uses seed `settings.seed + i`.
    func complete(
        _ prompt: JudgePrompt, responses: ResponseCount, settings: JudgeSettings, votes: Int
    ) async throws -> [JudgeCompletion]
}

/// One completion of a judging prompt, as the backend produced it.
public struct JudgeCompletion: Sendable, Hashable {
    /// The full model output: reasoning, `</think>`, the analysis and score blocks.
    public var text: String
    /// The model's probabilities at the score slots (structured decoding only).
    public var readout: ScoreReadout?
    public var promptTokens: Int
    public var completionTokens: Int
    /// "stop" when the output ended on its own or its skeleton was completed, "length" when a
    /// token limit cut it.
    public var finishReason: String

    public init(text: String, readout: ScoreReadout? = nil, promptTokens: Int, completionTokens: Int, finishReason: String) {
        self.text = text
        self.readout = readout
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.finishReason = finishReason
    }
}
