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

    /// A prompt read for its logprobs takes from the prefix cache only a prefix that was read for
    /// them too (a plain entry's rows have no logits), and is kept with them: the next context
    /// with another continuation (an evaluation's multiple choice) prefills only its new tokens,
    /// and its logprobs equal a whole prefill's.
    @Test func logprobPromptsReuseOnlyPrefixesReadForThem() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        let context = model.tokenizer.encode("Question: which of these numbers is prime? Answer:", parseSpecial: false)
        let first = context + model.tokenizer.encode(" 7, because it has no divisors", parseSpecial: false)
        let second = context + model.tokenizer.encode(" 9, because it is odd", parseSpecial: false)
        func request(_ prompt: [Int], logprobs: Int?) -> EngineRequest {
            EngineRequest(prompt: prompt, choices: [.greedy], decoding: .text(TextDecoding(maxTokens: 0)), promptLogprobs: logprobs)
        }
        // A plain prompt is no source for a logprob prompt.
        _ = try await Self.run(scheduler, request(first, logprobs: nil))
        var reused = scheduler.stats.reusedPromptTokens
        let (firstLogprobs, _) = try await Self.run(scheduler, request(first, logprobs: 2))
        #expect(scheduler.stats.reusedPromptTokens == reused)
        // A logprob prompt is: the second continuation reuses the context.
        let (secondLogprobs, _) = try await Self.run(scheduler, request(second, logprobs: 1))
        try await Self.waitFor(scheduler) { $0.reusedPromptTokens - reused >= context.count - 1 }
        reused = scheduler.stats.reusedPromptTokens
        // Both agree with a whole prefill on a fresh scheduler (no cache).
        let (_, fresh) = try tinyScheduler { .init(contextLength: $0, prefixCacheEntries: 0) }
        defer { fresh.shutdown() }
        for (prompt, got, k) in [(first, firstLogprobs, 2), (second, secondLogprobs, 1)] {
            let (whole, _) = try await Self.run(fresh, request(prompt, logprobs: k))
            let items = try #require(got), reference = try #require(whole)
            #expect(items.count == prompt.count - 1)
            #expect(items.map(\.token) == reference.map(\.token))
            for (a, b) in zip(items, reference) {
                #expect(abs(a.logprob - b.logprob) < 1e-4)
                #expect(a.rank == b.rank)
                #expect(a.top.map(\.token) == b.top.map(\.token))
            }
        }
        // A plain request after them reuses what they left.
        _ = try await Self.run(scheduler, request(second, logprobs: nil))
        try await Self.waitFor(scheduler) { $0.reusedPromptTokens - reused == second.count - 1 }
    }

    /// The stats are published after the step whose events ended a stream: waits (up to 10 s)
    /// until `condition` holds.
    static func waitFor(_ scheduler: BatchScheduler, _ condition: (BatchScheduler.Stats) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition(scheduler.stats) {
            try #require(ContinuousClock.now < deadline, "not reached: \(scheduler.stats)")
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
