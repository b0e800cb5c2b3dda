import GenRM

/// What one sequence has seen, for the logit adjustments that depend on it (vLLM's semantics):
/// the prompt's distinct tokens, how often each token was generated, and how many were. Applied
/// to the logits before temperature and the filters, so greedy decoding feels them too.
struct TokenHistory: Sendable {
    private let prompt: Set<Int>
    private(set) var generated: [Int: Int] = [:]
    private(set) var generatedCount = 0

    init(prompt: some Sequence<Int>) {
        self.prompt = Set(prompt)
    }

    mutating func record(_ token: Int) {
        generated[token, default: 0] += 1
        generatedCount += 1
    }

    /// `logits` after `min_tokens` (the stop tokens barred while fewer than `minTokens` were
    /// generated) and the penalties, in vLLM's order: the multiplicative repetition penalty on
    /// prompt and output tokens, then frequency and presence on output tokens only.
    func adjust(_ logits: inout [Float], _ parameters: SamplingParameters, stopTokens: Set<Int>) {
        let count = logits.count
        if generatedCount < parameters.minTokens {
            for token in stopTokens where token >= 0 && token < count { logits[token] = -.infinity }
        }
        if parameters.repetitionPenalty != 1 {
            let penalty = Float(parameters.repetitionPenalty)
            for token in prompt.union(generated.keys) where token >= 0 && token < count {
                logits[token] = logits[token] > 0 ? logits[token] / penalty : logits[token] * penalty
            }
        }
        if parameters.frequencyPenalty != 0 || parameters.presencePenalty != 0 {
            let frequency = Float(parameters.frequencyPenalty), presence = Float(parameters.presencePenalty)
            for (token, times) in generated where token >= 0 && token < count {
                logits[token] -= frequency * Float(times) + presence
            }
        }
    }
}
