import Foundation
import GenRM
import Testing
@testable import Engine

/// Free-text decoding on the scheduler (what `genrm generate`, chat and completions run) against
/// the reference decoder, token for token, on the tiny chat model. Sampling bans the bytes that
/// are not printable ASCII, so every text is plain and stop strings can be placed exactly.
@Suite struct TextDecodingTests {
    static let printable: [Int: Float] = Dictionary(uniqueKeysWithValues: ((0..<32).map { $0 } + (127..<259).map { $0 }).map { ($0, -100) })
    static let greedy = SamplingParameters(logitBias: printable)

    /// The tokens a request sampled (from its logprob entries) and how it ended.
    static func run(_ scheduler: BatchScheduler, prompt: [Int], sampling: SamplingParameters = greedy, _ decoding: TextDecoding)
        async throws -> (tokens: [Int], streamed: String, result: ChoiceResult)
    {
        var decoding = decoding
        decoding.topLogprobs = 0
        var tokens: [Int] = [], streamed = ""
        var result: ChoiceResult?
        for try await event in try scheduler.submit(EngineRequest(prompt: prompt, choices: [sampling], decoding: .text(decoding))) {
            switch event {
            case .prefilled, .promptLogprobs: break
            case .delta(_, let text, let logprobs):
                streamed += text
                tokens += logprobs.map(\.token)
            case .finished(_, let finished): result = finished
            }
        }
        return (tokens, streamed, try #require(result))
    }

    let prompt = Array("Once upon".utf8).map(Int.init)

    @Test func stopsAtMaxTokensWithTheReferenceContinuation() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        let run = try await Self.run(scheduler, prompt: prompt, TextDecoding(maxTokens: 8))
        let reference = try ReferenceDecoder.decode(model.network, prompt: prompt, sampling: Self.greedy, maxTokens: 8, contextLength: model.contextLength)
        #expect(run.tokens == reference.tokens)
        #expect(run.result.finishReason == .length)
        #expect(run.result.completionTokens == 8)
        #expect(run.result.text == (try model.tokenizer.decode(reference.tokens)))
        #expect(run.streamed == run.result.text)
    }

    @Test func stopsOnAStopTokenWithoutReturningIt() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        let reference = try ReferenceDecoder.decode(model.network, prompt: prompt, sampling: Self.greedy, maxTokens: 8, contextLength: model.contextLength)
        let stop = reference.tokens[3]
        let k = try #require(reference.tokens.firstIndex(of: stop))
        let run = try await Self.run(scheduler, prompt: prompt, TextDecoding(maxTokens: 8, stopTokens: [stop]))
        #expect(run.tokens == Array(reference.tokens.prefix(k + 1)))
        #expect(run.result.text == (try model.tokenizer.decode(Array(reference.tokens.prefix(k)))))
        #expect(run.result.finishReason == .stop)
        #expect(run.result.stopReason == .token(stop))
        #expect(run.result.completionTokens == k + 1)
    }

    @Test func stopsOnAStopStringAndStreamsOnlySettledText() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        let reference = try ReferenceDecoder.decode(model.network, prompt: prompt, sampling: Self.greedy, maxTokens: 12, contextLength: model.contextLength)
        let text = try model.tokenizer.decode(reference.tokens)
        let stopString = String(text.dropFirst(4).prefix(2))
        let run = try await Self.run(scheduler, prompt: prompt, TextDecoding(maxTokens: 12, stopStrings: [stopString]))
        let cut = try #require(text.range(of: stopString))
        #expect(run.result.text == String(text[..<cut.lowerBound]))
        #expect(run.result.finishReason == .stop)
        #expect(run.result.stopReason == .string(stopString))
        #expect(run.streamed == run.result.text)
    }

    @Test func seededSamplingIsReproducibleAndMatchesTheReference() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        func sampling(_ seed: UInt64) -> SamplingParameters {
            SamplingParameters(temperature: 1.5, topK: 40, topP: 0.95, seed: seed, logitBias: Self.printable)
        }
        let a = try await Self.run(scheduler, prompt: prompt, sampling: sampling(11), TextDecoding(maxTokens: 20))
        let b = try await Self.run(scheduler, prompt: prompt, sampling: sampling(11), TextDecoding(maxTokens: 20))
        let c = try await Self.run(scheduler, prompt: prompt, sampling: sampling(12), TextDecoding(maxTokens: 20))
        #expect(a.tokens == b.tokens)
        #expect(a.tokens != c.tokens)
        let reference = try ReferenceDecoder.decode(model.network, prompt: prompt, sampling: sampling(11), maxTokens: 20, contextLength: model.contextLength)
        #expect(a.tokens == reference.tokens)
    }

    @Test func endsWhenTheContextIsFull() async throws {
        let (model, scheduler) = try tinyScheduler { _ in .init(contextLength: 64) }
        defer { scheduler.shutdown() }
        let long = Array(repeating: 65, count: 60)
        let run = try await Self.run(scheduler, prompt: long, TextDecoding(maxTokens: 50))
        let reference = try ReferenceDecoder.decode(model.network, prompt: long, sampling: Self.greedy, maxTokens: 50, contextLength: 64)
        #expect(run.result.finishReason == .length)
        #expect(run.tokens == reference.tokens)
        #expect(run.tokens.count == 5)
    }

    /// A consumer that stops listening cancels its request, and its sequence is freed.
    @Test func aConsumerThatLeavesCancelsItsRequest() async throws {
        let (_, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        do {
            let stream = try scheduler.submit(EngineRequest(prompt: prompt, choices: [.greedy], decoding: .text(TextDecoding(maxTokens: 4000))))
            var iterator = stream.makeAsyncIterator()
            _ = try await iterator.next()
            _ = try await iterator.next()
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while scheduler.stats.runningSequences > 0 || scheduler.stats.cachedSequences > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(scheduler.stats.runningSequences == 0)
        #expect(scheduler.stats.cachedSequences == 0)
    }
}
