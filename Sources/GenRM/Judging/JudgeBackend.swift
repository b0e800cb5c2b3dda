/// The one seam under the judge: whatever turns a judging prompt into model output. The embedded
/// engine and remote OpenAI-compatible servers (vLLM) implement it; the judge (request -> prompt
/// -> backend -> parser -> votes -> verdict) is written once above it.
public protocol JudgeBackend: Sendable {
    /// The model behind this backend, reported with every judgment.
    var modelName: String { get }

    /// The most votes one `complete` call may ask for (the embedded engine: the sequences it
    /// runs at once; a pool: a fixed bound on the requests one judgment fans out). The judge
    /// refuses more before anything of their number is built.
    var maxVotes: Int { get }

    /// `votes` independent completions of one judging input. A backend that can constrain its
    /// decoding honours `settings.structured` and fills `JudgeCompletion.readout`; one that cannot
    /// generates freely and leaves the readout nil unless it can read the score slots another
    /// way (token logprobs). Vote `i` uses seed `settings.seed + i`.
    func complete(_ input: JudgeInput, settings: JudgeSettings, votes: Int) async throws -> [JudgeCompletion]
}

/// What a backend is asked to judge: the request in the order it is judged, the judging prompt
/// built from it, and the key under which related work (the votes and both orders of one pair)
/// should meet on the same server.
public struct JudgeInput: Sendable, Hashable {
    /// The request as judged (responses already swapped for a swapped order).
    public var request: JudgeRequest
    /// The judging messages and their Llama 3 rendering, built from `request`.
    public var prompt: JudgePrompt
    /// Equal for the votes and both orders of one pair (``JudgeRequest/affinityKey``): a pool
    /// sends them to one server, whose prefix cache then holds their shared prompt.
    public var affinity: String

    public init(request: JudgeRequest, prompt: JudgePrompt, affinity: String) {
        self.request = request
        self.prompt = prompt
        self.affinity = affinity
    }

    public var responses: ResponseCount { request.responseCount }
}

/// One completion of a judging prompt, as the backend produced it.
public struct JudgeCompletion: Sendable, Hashable {
    /// The full model output: reasoning, `</think>`, the analysis and score blocks.
    public var text: String
    /// The model's probabilities at the score slots (structured decoding, or a server's logprobs).
    public var readout: ScoreReadout?
    public var promptTokens: Int
    public var completionTokens: Int
    /// "stop" when the output ended on its own or its skeleton was completed, "length" when a
    /// token limit cut it.
    public var finishReason: String
    /// Which server produced it (remote backends: its base URL); nil for the embedded engine.
    public var backend: String?

    public init(
        text: String, readout: ScoreReadout? = nil, promptTokens: Int, completionTokens: Int, finishReason: String,
        backend: String? = nil
    ) {
        self.text = text
        self.readout = readout
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.finishReason = finishReason
        self.backend = backend
    }
}
