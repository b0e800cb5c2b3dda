/// What to generate and when to stop.
public struct GenerationParameters: Sendable, Equatable {
    /// Upper bound on sampled tokens (a stop token counts).
    public var maxTokens: Int
    public var sampling: SamplingParameters
    /// End of generation when sampled (EOS ids); not part of the returned text.
    public var stopTokens: Set<Int>
    /// End of generation when the decoded text contains one; the text ends before it.
    public var stopStrings: [String]

    public init(maxTokens: Int, sampling: SamplingParameters = .greedy, stopTokens: Set<Int> = [], stopStrings: [String] = []) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopTokens = stopTokens
        self.stopStrings = stopStrings
    }
}

/// Why generation ended.
public enum FinishReason: String, Sendable, Equatable {
    case stopToken = "stop_token"
    case stopString = "stop_string"
    case maxTokens = "max_tokens"
    /// The context window is full.
    case contextFull = "context_full"
    /// The caller's callback or the surrounding task asked to stop.
    case cancelled
}

/// Token counts and timings of one generation.
public struct GenerationUsage: Sendable, Equatable {
    public var promptTokens: Int
    public var promptSeconds: Double
    /// Sampled tokens, including a final stop token.
    public var generatedTokens: Int
    public var generationSeconds: Double

    public var promptTokensPerSecond: Double { promptSeconds > 0 ? Double(promptTokens) / promptSeconds : 0 }
    public var generatedTokensPerSecond: Double {
        generationSeconds > 0 ? Double(generatedTokens) / generationSeconds : 0
    }
}

/// A piece of streamed output: the token just sampled and the text that became final with it
/// (possibly empty while a stop string or a multi-byte character is undecided).
public struct GenerationChunk: Sendable, Equatable {
    public var token: Int
    public var text: String
}

/// The outcome of one generation.
public struct GenerationResult: Sendable, Equatable {
    /// Sampled tokens without a final stop token.
    public var tokens: [Int]
    /// Decoded text, cut before a stop string.
    public var text: String
    public var finishReason: FinishReason
    public var usage: GenerationUsage
}

/// Why generation failed.
public enum GenerationError: Error, Equatable, Sendable, CustomStringConvertible {
    case model(ModelError)
    case sampling(SamplingError)
    case emptyPrompt
    case invalidMaxTokens(Int)

    public var description: String {
        switch self {
        case .model(let e): return e.description
        case .sampling(let e): return e.description
        case .emptyPrompt: return "the prompt has no tokens"
        case .invalidMaxTokens(let n): return "max tokens must be positive, found \(n)"
        }
    }
}
