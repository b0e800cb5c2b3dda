import GenRM

@testable import Engine

/// The scheduler's slow, obvious twin: one prompt alone on its own session, sampled token by
/// token with the same sampler, until a stop token, the token budget or the context ends it.
enum ReferenceDecoder {
    struct Output: Equatable {
        /// Sampled tokens without a final stop token.
        var tokens: [Int]
        /// Tokens sampled, a final stop token included (what `completionTokens` counts).
        var sampled: Int
        var finishReason: FinishReason
    }

    static func decode(
        _ model: TransformerModel, prompt: [Int], sampling: SamplingParameters = .greedy, maxTokens: Int,
        stopTokens: Set<Int> = [], contextLength: Int
    ) throws -> Output {
        let session = InferenceSession(model: model, maxLength: contextLength)
        try session.prefill(prompt)
        var sampler = try Sampler(sampling)
        var tokens: [Int] = []
        while true {
            let token = try sampler.sample(session.logits)
            if stopTokens.contains(token) { return Output(tokens: tokens, sampled: tokens.count + 1, finishReason: .stop) }
            tokens.append(token)
            if tokens.count >= maxTokens || session.tokens.count >= contextLength {
                return Output(tokens: tokens, sampled: tokens.count, finishReason: .length)
            }
            try session.append(token)
        }
    }
}
