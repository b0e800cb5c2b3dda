import Formats
import Foundation
import GenRM
import Testing
import Tokenizers
@testable import Engine

/// Runs a request to its end; the results in choice order and the text its deltas streamed.
func runToEnd(_ scheduler: BatchScheduler, _ request: EngineRequest) async throws -> (results: [ChoiceResult], streamed: [String]) {
    var results: [Int: ChoiceResult] = [:]
    var streamed = Array(repeating: "", count: request.choices.count)
    for try await event in try scheduler.submit(request) {
        switch event {
        case .prefilled, .promptLogprobs: break
        case .delta(let index, let text, _): streamed[index] += text
        case .finished(let index, let result): results[index] = result
        }
    }
    return ((0..<request.choices.count).compactMap { results[$0] }, streamed)
}

/// A started scheduler on the tiny chat model; the caller shuts it down.
func tinyScheduler(_ limits: (Int) -> BatchScheduler.Limits = { .init(contextLength: $0) }) throws -> (EmbeddedModel, BatchScheduler) {
    let model = try TinyChatModel.model()
    let scheduler = BatchScheduler(model: model.network, tokenizer: model.tokenizer, limits: limits(model.contextLength))
    scheduler.start()
    return (model, scheduler)
}

/// The batch scheduler against its slow, obvious twin (`ReferenceDecoder`), on a tiny model.
@Suite struct SchedulerTests {
    @Test func concurrentBatchedRequestsEqualDecodingEachAlone() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        let prompts = ["The capital of France is", "Once upon a time", "1, 2, 3,"].map { model.tokenizer.encode($0, parseSpecial: false) }
        let sampling = SamplingParameters(temperature: 0.9, topK: 40, topP: 0.95, seed: 11)
        let decoding = TextDecoding(maxTokens: 12, stopTokens: Set(model.tokenizer.eosIds))
        let batched = try await withThrowingTaskGroup(of: (Int, [ChoiceResult]).self) { group in
            for (index, prompt) in prompts.enumerated() {
                group.addTask { (index, try await runToEnd(scheduler, EngineRequest(prompt: prompt, choices: [sampling], decoding: .text(decoding))).results) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for (index, prompt) in prompts.enumerated() {
            let alone = try ReferenceDecoder.decode(
                model.network, prompt: prompt, sampling: sampling, maxTokens: 12, stopTokens: Set(model.tokenizer.eosIds),
                contextLength: model.contextLength)
            let result = try #require(batched[index]?.first)
            #expect(result.text == (try model.tokenizer.decode(alone.tokens, skipSpecialTokens: true)), "prompt \(index)")
            #expect(result.completionTokens == alone.sampled)
            #expect(result.finishReason == alone.finishReason)
        }
    }

    @Test func choicesOfOneRequestAreTheSameSamplesAsSeparateRequests() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        let prompt = model.tokenizer.encode("My favourite food is", parseSpecial: false)
        let seeds = (0..<3).map { SamplingParameters(temperature: 1, seed: 100 + UInt64($0)) }
        let decoding = EngineRequest.Decoding.text(TextDecoding(maxTokens: 8))
        let together = try await runToEnd(scheduler, EngineRequest(prompt: prompt, choices: seeds, decoding: decoding))
        for (index, seed) in seeds.enumerated() {
            let alone = try await runToEnd(scheduler, EngineRequest(prompt: prompt, choices: [seed], decoding: decoding))
            #expect(together.results[index].text == alone.results.first?.text)
        }
        #expect(together.streamed == together.results.map(\.text))
    }

    @Test func refusesWhatCanNeverRunInTheEnginesOwnWords() throws {
        let model = try TinyChatModel.model()
        let scheduler = BatchScheduler(model: model.network, tokenizer: model.tokenizer, limits: .init(maxRunningSequences: 2, contextLength: 64))
        defer { scheduler.shutdown() }
        let text = EngineRequest.Decoding.text(TextDecoding(maxTokens: 1))
        #expect(throws: SchedulerError.tooManyChoices(requested: 3, maxRunningSequences: 2)) {
            try scheduler.submit(EngineRequest(prompt: [1], choices: Array(repeating: .greedy, count: 3), decoding: text))
        }
        #expect(throws: SchedulerError.emptyPrompt) { try scheduler.submit(EngineRequest(prompt: [], choices: [.greedy], decoding: text)) }
        #expect(throws: SchedulerError.promptTooLong(promptTokens: 64, contextLength: 64)) {
            try scheduler.submit(EngineRequest(prompt: Array(repeating: 1, count: 64), choices: [.greedy], decoding: text))
        }
        // No server flag in an engine error.
        #expect(!SchedulerError.tooManyChoices(requested: 3, maxRunningSequences: 2).description.contains("--"))
    }

    /// A vocabulary without single-token digits cannot judge under constraint; the refusal says so.
    @Test func judgingWithoutDigitTokensIsRefusedByName() throws {
        let tiny = TinyModel.uniform(architecture: "llama")
        let model = try tiny.model()
        let tokens = (0..<tiny.vocabulary).map { "t\($0)" }
        let tokenizer = try Tokenizer(gguf: [
            "tokenizer.ggml.model": .string("gpt2"), "tokenizer.ggml.pre": .string("gpt2"),
            "tokenizer.ggml.tokens": .array(tokens.map { .string($0) }), "tokenizer.ggml.merges": .array([]),
        ])
        let scheduler = BatchScheduler(model: model, tokenizer: tokenizer, limits: .init(contextLength: 64))
        defer { scheduler.shutdown() }
        #expect(throws: SchedulerError.judgingUnavailable(.noDigitToken(0))) {
            try scheduler.submit(EngineRequest(prompt: [1], choices: [.greedy], decoding: .judge(segments: [.digit(.ranking)])))
        }
    }

    /// `shutdown()` ends every request and the engine thread; nothing is accepted afterwards.
    @Test func shutdownEndsRequestsAndTheThread() async throws {
        let (model, scheduler) = try tinyScheduler()
        let prompt = model.tokenizer.encode("a long story", parseSpecial: false)
        // Shut down with the request queued or running (nothing awaits in between, so it cannot
        // have finished): it ends with `.shuttingDown` either way.
        let stream = try scheduler.submit(EngineRequest(prompt: prompt, choices: [.greedy], decoding: .text(TextDecoding(maxTokens: 5000))))
        scheduler.shutdown()
        await #expect(throws: SchedulerError.shuttingDown) {
            for try await _ in stream {}
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while !scheduler.isStopped, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(scheduler.isStopped)
        #expect(throws: SchedulerError.shuttingDown) {
            try scheduler.submit(EngineRequest(prompt: prompt, choices: [.greedy], decoding: .text(TextDecoding(maxTokens: 1))))
        }
    }

    /// A short prompt sent just after a long one is not held behind its prefill: prompts being
    /// prefilled take turns chunk by chunk, so the short one's prompt is in (by the engine's own
    /// clock) before the long one's (2,000 chunks here), and the long one still ends as it would
    /// alone. The order is read from the instants the engine stamps, never from when the test
    /// happens to be scheduled.
    @Test func aShortPromptIsNotHeldBehindALongPrefill() async throws {
        let (model, scheduler) = try tinyScheduler { .init(contextLength: $0, prefillChunk: 4) }
        defer { scheduler.shutdown() }
        let long = Array(repeating: model.tokenizer.encode(" hello", parseSpecial: false), count: 8000).joined().prefix(8000)
        let short = model.tokenizer.encode("Hi", parseSpecial: false)
        let decoding = EngineRequest.Decoding.text(TextDecoding(maxTokens: 1))
        let longStream = try scheduler.submit(EngineRequest(prompt: Array(long), choices: [.greedy], decoding: decoding))
        let shortStream = try scheduler.submit(EngineRequest(prompt: short, choices: [.greedy], decoding: decoding))
        func prefilledAt(_ stream: AsyncThrowingStream<EngineEvent, any Error>) async throws -> (ContinuousClock.Instant?, Int) {
            var instant: ContinuousClock.Instant?
            var finished = 0
            for try await event in stream {
                switch event {
                case .prefilled(_, let at): instant = at
                case .finished: finished += 1
                case .delta, .promptLogprobs: break
                }
            }
            return (instant, finished)
        }
        let (shortAt, shortFinished) = try await prefilledAt(shortStream)
        let (longAt, longFinished) = try await prefilledAt(longStream)
        #expect(shortFinished == 1 && longFinished == 1)
        let (s, l) = try (#require(shortAt), #require(longAt))
        #expect(s < l, "the short prompt must be in before the long one")
    }

    /// Memory is checked up front: a request whose choices, each at its largest, could never fit
    /// the budget is refused with the numbers before anything is allocated; one that fits only
    /// once another ends waits for it and then runs.
    @Test func memoryIsBoundedUpFront() async throws {
        let model = try TinyChatModel.model()
        let prompt = model.tokenizer.encode("Once upon a time", parseSpecial: false)
        let decoding = EngineRequest.Decoding.text(TextDecoding(maxTokens: 40))
        let probe = BatchScheduler(model: model.network, tokenizer: model.tokenizer, limits: .init(contextLength: model.contextLength))
        let request = { (n: Int) in EngineRequest(prompt: prompt, choices: Array(repeating: .greedy, count: n), decoding: decoding) }
        let (positions, each) = probe.memoryPerChoice(request(1))
        probe.shutdown()
        #expect(positions == prompt.count + 40)
        let cache = KVCache(config: model.network.config, maxLength: model.contextLength)
        #expect(each > cache.slotBytes(holding: positions) && cache.slotBytes(holding: positions) == 2 * positions * cache.bytesPerPosition)

        let (_, scheduler) = try tinyScheduler { .init(maxRunningSequences: 100_000, contextLength: $0, memoryBudget: 3 * each) }
        defer { scheduler.shutdown() }
        #expect(throws: SchedulerError.exceedsMemory(choices: 100_000, positions: positions, bytesPerChoice: each, budget: 3 * each)) {
            try scheduler.submit(request(100_000))
        }
        #expect(throws: SchedulerError.exceedsMemory(choices: 4, positions: positions, bytesPerChoice: each, budget: 3 * each)) {
            try scheduler.submit(request(4))
        }
        #expect(scheduler.stats.queuedRequests == 0)
        // Two choices, then two more: the second request waits for the first's memory, so no more
        // than two sequences ever run (the sequence limit alone would let all four run).
        let streams = [try scheduler.submit(request(2)), try scheduler.submit(request(2))]
        let watcher = Task {
            var most = 0
            while !Task.isCancelled {
                most = max(most, scheduler.stats.runningSequences)
                try? await Task.sleep(for: .microseconds(200))
            }
            return most
        }
        for stream in streams {
            var finished = 0
            for try await event in stream { if case .finished = event { finished += 1 } }
            #expect(finished == 2)
        }
        watcher.cancel()
        #expect(await watcher.value <= 2)
        let message = SchedulerError.exceedsMemory(choices: 300, positions: 1200, bytesPerChoice: 47 << 20, budget: 2 << 30).description
        #expect(message == "300 choices of up to 1200 positions would hold 13.8 GiB of KV cache and decode buffers "
            + "(47.0 MiB each), more than the 2.0 GiB the engine may use for them")
    }

    @Test func byteSizesReadAsPeopleWriteThem() {
        #expect(ByteSize.parse("123") == 123)
        #expect(ByteSize.parse("512MiB") == 512 << 20)
        #expect(ByteSize.parse("4GiB") == 4 << 30)
        #expect(ByteSize.parse("2G") == 2 << 30)
        #expect(ByteSize.parse("1GB") == 1_000_000_000)
        for bad in ["", "-1", "1.5GiB", "GiB", "12 parsecs", "99999999999999999999"] { #expect(ByteSize.parse(bad) == nil, "\(bad)") }
        #expect(ByteSize.describe(1023) == "1023 bytes")
        #expect(ByteSize.describe(1536) == "1.5 KiB")
    }

    @Test func aSchedulerNeverStartedStopsAtOnce() throws {
        let model = try TinyChatModel.model()
        let scheduler = BatchScheduler(model: model.network, tokenizer: model.tokenizer, limits: .init(contextLength: 64))
        scheduler.shutdown()
        #expect(scheduler.isStopped)
    }
}

/// Prefix caching against its slow twin, the scheduler without it.
@Suite struct PrefixCachingTests {
    @Test func sharedOpeningsAreReusedAndChangeNoOutput() async throws {
        let model = try TinyChatModel.model()
        let opening = model.tokenizer.encode(
            "You are a careful judge. Read the conversation, think step by step, and score each response from 1 to 5.\n",
            parseSpecial: false)
        let prompts = ["Question: what is 2+2? Answer:", "Question: name a red fruit. Answer:", "Question: what is 2+2? Answer:"]
            .map { opening + model.tokenizer.encode($0, parseSpecial: false) }
        let decoding = EngineRequest.Decoding.text(TextDecoding(maxTokens: 6))
        func results(_ entries: Int) async throws -> (texts: [String], stats: BatchScheduler.Stats) {
            let scheduler = BatchScheduler(
                model: model.network, tokenizer: model.tokenizer, limits: .init(contextLength: model.contextLength, prefixCacheEntries: entries))
            scheduler.start()
            defer { scheduler.shutdown() }
            var texts: [String] = []
            for prompt in prompts {
                texts.append(try await runToEnd(scheduler, EngineRequest(prompt: prompt, choices: [.greedy], decoding: decoding)).results[0].text)
            }
            // A stream ends within the engine step that frees its sequences; the stats of that
            // step are published when it ends.
            #expect(await scheduler.waitUntilIdle(timeout: .seconds(10)))
            return (texts, scheduler.stats)
        }
        let cached = try await results(4), uncached = try await results(0)
        #expect(cached.texts == uncached.texts)
        #expect(uncached.stats.reusedPromptTokens == 0 && uncached.stats.prefixCacheEntries == 0)
        // The second prompt reuses the opening, the third the whole first prompt.
        let shared = zip(prompts[0], prompts[1]).prefix { $0 == $1 }.count
        #expect(shared > opening.count)
        #expect(cached.stats.reusedPromptTokens == (shared - 1) + (prompts[2].count - 1), "\(cached.stats)")
        #expect(cached.stats.prefixCacheEntries == 2)
        #expect(cached.stats.cachedSequences == 0)
    }
}
