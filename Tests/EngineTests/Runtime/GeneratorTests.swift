import Testing
@testable import Engine

@Suite struct GeneratorTests {
    static let prompt = [5, 9, 33, 2, 71]

    /// Each id decodes to "w<id> ", so stop strings can be placed exactly.
    static let detokenize: @Sendable ([Int]) -> String = { ids in ids.map { "w\($0) " }.joined() }

    static func generator() throws -> Generator {
        Generator(model: try TinyModel.uniform(architecture: "llama").model(), detokenize: detokenize)
    }

    /// The greedy continuation written out with a session.
    static func greedy(_ model: TransformerModel, count: Int) throws -> [Int] {
        let session = InferenceSession(model: model)
        try session.prefill(prompt)
        var out: [Int] = []
        for _ in 0..<count {
            let token = try #require(Sampler.argmax(session.logits))
            out.append(token)
            try session.append(token)
        }
        return out
    }

    @Test func stopsAtMaxTokensWithTheGreedyContinuation() throws {
        let generator = try Self.generator()
        let result = try generator.generate(prompt: Self.prompt, parameters: GenerationParameters(maxTokens: 8))
        #expect(result.tokens == (try Self.greedy(generator.model, count: 8)))
        #expect(result.finishReason == .maxTokens)
        #expect(result.text == Self.detokenize(result.tokens))
        #expect(result.usage.promptTokens == 5)
        #expect(result.usage.generatedTokens == 8)
        #expect(result.usage.generatedTokensPerSecond > 0)
    }

    @Test func stopsOnAStopTokenWithoutReturningIt() throws {
        let generator = try Self.generator()
        let greedy = try Self.greedy(generator.model, count: 8)
        let stop = greedy[3]
        let k = try #require(greedy.firstIndex(of: stop))
        let result = try generator.generate(
            prompt: Self.prompt, parameters: GenerationParameters(maxTokens: 8, stopTokens: [stop, 10_000]))
        #expect(result.tokens == Array(greedy.prefix(k)))
        #expect(result.finishReason == .stopToken)
        #expect(result.usage.generatedTokens == k + 1)
    }

    @Test func stopsOnAStopStringAndStreamsOnlySettledText() throws {
        let generator = try Self.generator()
        let greedy = try Self.greedy(generator.model, count: 8)
        let stopString = "w\(greedy[2]) "
        let k = try #require(greedy.firstIndex(of: greedy[2]))
        var streamed = ""
        let result = try generator.generate(
            prompt: Self.prompt, parameters: GenerationParameters(maxTokens: 8, stopStrings: [stopString])
        ) { chunk in
            streamed += chunk.text
            return true
        }
        #expect(result.finishReason == .stopString)
        #expect(result.text == Self.detokenize(Array(greedy.prefix(k))))
        #expect(streamed == result.text)
        #expect(!result.text.contains(stopString))
    }

    @Test func seededSamplingIsReproducible() throws {
        let generator = try Self.generator()
        func run(seed: UInt64) throws -> [Int] {
            let sampling = SamplingParameters(temperature: 1.5, topK: 40, topP: 0.95, seed: seed)
            return try generator.generate(prompt: Self.prompt, parameters: GenerationParameters(maxTokens: 20, sampling: sampling)).tokens
        }
        #expect(try run(seed: 11) == run(seed: 11))
        #expect(try run(seed: 11) != run(seed: 12))
    }

    @Test func promptThatDoesNotFitIsAnErrorNamingBothSizes() throws {
        let generator = try Self.generator()
        #expect(throws: GenerationError.model(.contextOverflow(tokens: 70, contextLength: 64))) {
            try generator.generate(prompt: Array(repeating: 1, count: 70), parameters: GenerationParameters(maxTokens: 1))
        }
        #expect(throws: GenerationError.emptyPrompt) {
            try generator.generate(prompt: [], parameters: GenerationParameters(maxTokens: 1))
        }
    }

    @Test func endsWhenTheContextIsFull() throws {
        let generator = try Self.generator()
        let result = try generator.generate(prompt: Array(repeating: 7, count: 60), parameters: GenerationParameters(maxTokens: 50))
        #expect(result.finishReason == .contextFull)
        #expect(result.tokens.count == 5)
    }

    @Test func callbackCanCancel() throws {
        let generator = try Self.generator()
        var seen = 0
        let result = try generator.generate(prompt: Self.prompt, parameters: GenerationParameters(maxTokens: 8)) { _ in
            seen += 1
            return seen < 2
        }
        #expect(result.finishReason == .cancelled)
        #expect(result.tokens.count == 2)
    }

    @Test func streamYieldsChunksThenTheResult() async throws {
        let generator = try Self.generator()
        var text = ""
        var final: GenerationResult?
        for try await event in generator.stream(prompt: Self.prompt, parameters: GenerationParameters(maxTokens: 6)) {
            switch event {
            case .chunk(let chunk): text += chunk.text
            case .finished(let result): final = result
            }
        }
        let result = try #require(final)
        #expect(result.tokens.count == 6)
        #expect(text == result.text)
    }
}
