import Engine
import Foundation
import Testing

/// The scheduler against its slow, obvious twin: one request alone through `Generator`.
@Suite struct SchedulerTests {
    static func scheduler(_ model: EmbeddedModel) -> BatchScheduler {
        let scheduler = BatchScheduler(model: model.network, tokenizer: model.tokenizer, limits: .init(contextLength: model.contextLength))
        scheduler.start()
        return scheduler
    }

    static func run(_ scheduler: BatchScheduler, _ request: ServingRequest) async throws -> [ChoiceResult] {
        var results: [Int: ChoiceResult] = [:]
        for try await event in try scheduler.submit(request) {
            if case .finished(let index, let result) = event { results[index] = result }
        }
        return (0..<request.choices.count).compactMap { results[$0] }
    }

    @Test func concurrentBatchedRequestsEqualGeneratingEachAlone() async throws {
        let model = try await TestServers.model.value
        let scheduler = Self.scheduler(model)
        let prompts = ["The capital of France is", "Once upon a time", "1, 2, 3,"].map { model.tokenizer.encode($0, parseSpecial: false) }
        let sampling = SamplingParameters(temperature: 0.9, topK: 40, topP: 0.95, seed: 11)
        let decoding = TextDecoding(maxTokens: 12, stopTokens: Set(model.tokenizer.eosIds))
        let batched = try await withThrowingTaskGroup(of: (Int, [ChoiceResult]).self) { group in
            for (index, prompt) in prompts.enumerated() {
                group.addTask { (index, try await Self.run(scheduler, ServingRequest(prompt: prompt, choices: [sampling], decoding: .text(decoding)))) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        let tokenizer = model.tokenizer
        let generator = Generator(model: model.network) { (try? tokenizer.decode($0)) ?? "" }
        for (index, prompt) in prompts.enumerated() {
            let alone = try generator.generate(
                prompt: prompt, parameters: GenerationParameters(maxTokens: 12, sampling: sampling, stopTokens: Set(tokenizer.eosIds)))
            let result = try #require(batched[index]?.first)
            #expect(result.text == alone.text, "prompt \(index)")
            #expect(result.completionTokens == alone.usage.generatedTokens)
            #expect(result.finishReason == (alone.finishReason == .maxTokens ? .length : .stop))
        }
    }

    @Test func choicesOfOneRequestAreTheSameSamplesAsSeparateRequests() async throws {
        let model = try await TestServers.model.value
        let scheduler = Self.scheduler(model)
        let prompt = model.tokenizer.encode("My favourite food is", parseSpecial: false)
        let seeds = (0..<3).map { SamplingParameters(temperature: 1, seed: 100 + UInt64($0)) }
        let decoding = ServingRequest.Decoding.text(TextDecoding(maxTokens: 8))
        let together = try await Self.run(scheduler, ServingRequest(prompt: prompt, choices: seeds, decoding: decoding))
        for (index, seed) in seeds.enumerated() {
            let alone = try await Self.run(scheduler, ServingRequest(prompt: prompt, choices: [seed], decoding: decoding))
            #expect(together[index].text == alone.first?.text)
        }
    }

    @Test func refusesWhatCanNeverRun() throws {
        let model = try #require(try? EmbeddedModel(path: ModelCache.fromEnvironment().require(.smolLM2).path))
        let scheduler = BatchScheduler(model: model.network, tokenizer: model.tokenizer, limits: .init(maxRunningSequences: 2, contextLength: 64))
        let text = ServingRequest.Decoding.text(TextDecoding(maxTokens: 1))
        #expect(throws: ServingError.tooManyChoices(requested: 3, maxRunningSequences: 2)) {
            try scheduler.submit(ServingRequest(prompt: [1], choices: Array(repeating: .greedy, count: 3), decoding: text))
        }
        #expect(throws: ServingError.emptyPrompt) { try scheduler.submit(ServingRequest(prompt: [], choices: [.greedy], decoding: text)) }
        #expect(throws: ServingError.promptTooLong(promptTokens: 64, contextLength: 64)) {
            try scheduler.submit(ServingRequest(prompt: Array(repeating: 1, count: 64), choices: [.greedy], decoding: text))
        }
    }
}

/// Prefix caching against its slow twin, the scheduler without it.
@Suite struct PrefixCachingTests {
    @Test func sharedOpeningsAreReusedAndChangeNoOutput() async throws {
        let model = try await TestServers.model.value
        let opening = model.tokenizer.encode(
            "You are a careful judge. Read the conversation, think step by step, and score each response from 1 to 5.\n",
            parseSpecial: false)
        let prompts = ["Question: what is 2+2? Answer:", "Question: name a red fruit. Answer:", "Question: what is 2+2? Answer:"]
            .map { opening + model.tokenizer.encode($0, parseSpecial: false) }
        let decoding = ServingRequest.Decoding.text(TextDecoding(maxTokens: 6))
        func results(_ entries: Int) async throws -> (texts: [String], stats: BatchScheduler.Stats) {
            let scheduler = BatchScheduler(
                model: model.network, tokenizer: model.tokenizer, limits: .init(contextLength: model.contextLength, prefixCacheEntries: entries))
            scheduler.start()
            var texts: [String] = []
            for prompt in prompts {
                texts.append(try await SchedulerTests.run(scheduler, ServingRequest(prompt: prompt, choices: [.greedy], decoding: decoding))[0].text)
            }
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
