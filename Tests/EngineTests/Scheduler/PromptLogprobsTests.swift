import Foundation
import GenRM
import Testing
@testable import Engine

/// Prompt log-probabilities (`EngineRequest.promptLogprobs`) against their slow twin: the prompt
/// fed one token at a time to a session of its own, each next token read off the logits before
/// it. The scheduler gets them from a chunked prefill whose forward computes every row's logits.
@Suite struct PromptLogprobsTests {
    /// The prompt logprobs and the results of a request run to its end.
    static func run(_ scheduler: BatchScheduler, _ request: EngineRequest) async throws -> (logprobs: [TokenLogprob]?, results: [ChoiceResult]) {
        var logprobs: [TokenLogprob]?
        var results: [ChoiceResult] = []
        for try await event in try scheduler.submit(request) {
            switch event {
            case .promptLogprobs(let items):
                #expect(logprobs == nil, "sent once")
                logprobs = items
            case .finished(_, let result): results.append(result)
            case .prefilled: #expect(logprobs != nil || request.promptLogprobs == nil, "sent before .prefilled")
            case .delta: break
            }
        }
        return (logprobs, results)
    }

    @Test func everyRowsLogitsEqualFeedingTokenByToken() async throws {
        // Chunks of 5 rows, so the prompt spans several prefill steps.
        let (model, scheduler) = try tinyScheduler { .init(contextLength: $0, prefillChunk: 5) }
        defer { scheduler.shutdown() }
        let prompt = model.tokenizer.encode("The capital of France is Paris, and the capital of Italy is Rome.", parseSpecial: false)
        try #require(prompt.count > 12)
        let request = EngineRequest(
            prompt: prompt, choices: [.greedy], decoding: .text(TextDecoding(maxTokens: 0)), promptLogprobs: 3)
        let (logprobs, results) = try await Self.run(scheduler, request)
        let items = try #require(logprobs)
        #expect(items.count == prompt.count - 1)
        #expect(results.count == 1)
        #expect(results.first?.completionTokens == 0)
        #expect(results.first?.finishReason == .length)

        let session = InferenceSession(model: model.network)
        try session.append(prompt[0])
        for (index, item) in items.enumerated() {
            let next = prompt[index + 1]
            let reference = LogprobReadout.logprob(of: next, in: session.logits, top: 3, tokenizer: model.tokenizer)
            #expect(item.token == next)
            #expect(abs(item.logprob - reference.logprob) < 1e-4, "token \(index + 1): \(item.logprob) vs \(reference.logprob)")
            #expect(item.rank == reference.rank)
            #expect(item.top.map(\.token) == reference.top.map(\.token))
            try session.append(next)
        }
    }

    @Test func rankCountsTheTokensMoreLikely() throws {
        let model = try TinyChatModel.model()
        let logits: [Float] = [0.5, 2, -1, 2, 0]
        let item = LogprobReadout.logprob(of: 0, in: logits, top: 2, tokenizer: model.tokenizer)
        #expect(item.rank == 3)
        #expect(item.top.map(\.token) == [1, 3])
        #expect(LogprobReadout.logprob(of: 3, in: logits, top: 0, tokenizer: model.tokenizer).rank == 1)
    }

    /// A prompt read for its logprobs is prefilled whole (no rows from the prefix cache, which
    /// would have no logits), then kept there: the same prompt after it reuses it.
    @Test func logprobPromptsBypassThePrefixCacheAndFeedIt() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        let prompt = model.tokenizer.encode("A list of prime numbers: 2, 3, 5, 7, 11, 13", parseSpecial: false)
        let plain = EngineRequest(prompt: prompt, choices: [.greedy], decoding: .text(TextDecoding(maxTokens: 1)))
        _ = try await Self.run(scheduler, plain)
        let reused = scheduler.stats.reusedPromptTokens
        var scored = plain
        scored.promptLogprobs = 0
        let (logprobs, _) = try await Self.run(scheduler, scored)
        #expect(logprobs?.count == prompt.count - 1)
        #expect(logprobs?.allSatisfy { $0.top.isEmpty } == true)
        #expect(scheduler.stats.reusedPromptTokens == reused)
        _ = try await Self.run(scheduler, plain)
        #expect(scheduler.stats.reusedPromptTokens == reused + prompt.count - 1)
    }
}
