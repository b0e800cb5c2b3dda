import Catalog
import Foundation
import GenRM
import Testing
@testable import Engine

/// The embedded judge on the real default model (SmolLM2-135M Q4_1). Budgets are small so the
/// suite stays fast; the skeleton is the same at any budget.
@Suite("Embedded judge on SmolLM2", .serialized)
struct EmbeddedJudgeTests {
    static let model: EmbeddedModel? = {
        guard let path = try? ModelCache.fromEnvironment().require(.smolLM2).path else { return nil }
        return try? EmbeddedModel(path: path)
    }()

    /// One scheduler for the suite's judges, as a command has one.
    static let scheduler: BatchScheduler? = model.map { model in
        let scheduler = BatchScheduler(model: model.network, tokenizer: model.tokenizer, limits: .init(contextLength: model.contextLength))
        scheduler.start()
        return scheduler
    }

    /// A started scheduler of its own, for tests that read its stats or limit its context.
    static func ownScheduler(_ model: EmbeddedModel) -> BatchScheduler {
        let scheduler = BatchScheduler(model: model.network, tokenizer: model.tokenizer, limits: .init(contextLength: model.contextLength))
        scheduler.start()
        return scheduler
    }

    private func judge() throws -> Judge {
        let model = try #require(Self.model, "the default model is missing: run scripts/fetch-assets.sh")
        let backend = EmbeddedJudgeBackend(model: model, scheduler: try #require(Self.scheduler))
        return Judge(backend: backend, promptBuilder: try JudgePromptBuilder.bundled())
    }

    private let pair = try! JudgeRequest(
        history: [HistoryTurn(.user, "What is 1+1?"), HistoryTurn(.assistant, "1+1=2"), HistoryTurn(.user, "What about 1+2?")],
        responses: ["1+2=4", "1+2=3"])

    private let small = JudgeSettings(reasoningTokens: 12, analysisTokens: 12)

    @Test func greedyStructuredJudgmentOfTwoResponsesParsesAndMatchesItsReadout() async throws {
        let result = try await judge().judge(pair, settings: small)
        let vote = try #require(result.votes.first)
        let judgment = try vote.outcome.get()
        let readout = try #require(vote.completion.readout)
        #expect(judgment.scores.allSatisfy { (1...5).contains($0) })
        #expect(judgment.ranking.map { (1...6).contains($0) } == true)
        // Greedy: the chosen digits are the argmax of the distributions read at the same slots.
        #expect(judgment.scores == readout.likeliestScores)
        #expect(judgment.ranking == readout.likeliestRanking)
        for distribution in readout.scoreDistributions + [readout.rankingDistribution ?? []] {
            #expect(abs(distribution.reduce(0, +) - 1) < 1e-9)
        }
        #expect(readout.scoreDistributions.map(\.count) == [5, 5])
        #expect(readout.rankingDistribution?.count == 6)
        #expect(vote.completion.finishReason == "stop")
        #expect(vote.completion.promptTokens > 500)
        #expect(result.summary.failedParses == 0)
    }

    /// The second of two prompts with a common opening prefills only what follows it, and judges
    /// as a fresh backend does (same text; read-outs equal to rounding of the f16 cache).
    @Test func aSharedPromptPrefixIsReusedAndChangesNothing() async throws {
        let model = try #require(Self.model, "the default model is missing: run scripts/fetch-assets.sh")
        let builder = try JudgePromptBuilder.bundled()
        let warmScheduler = Self.ownScheduler(model), freshScheduler = Self.ownScheduler(model)
        defer {
            warmScheduler.shutdown()
            freshScheduler.shutdown()
        }
        let warm = EmbeddedJudgeBackend(model: model, scheduler: warmScheduler)
        let first = try await Judge(backend: warm, promptBuilder: builder).judge(pair, settings: small)
        #expect(warmScheduler.stats.reusedPromptTokens == 0)
        let swapped = try await Judge(backend: warm, promptBuilder: builder).judge(pair.swapped(), settings: small)
        // Instructions and the whole conversation come before the responses.
        let reusedTokens = warmScheduler.stats.reusedPromptTokens
        #expect(reusedTokens > 500)
        let firstPrompt = try #require(first.votes.first).completion.promptTokens
        #expect(reusedTokens < firstPrompt)

        let fresh = try await Judge(backend: EmbeddedJudgeBackend(model: model, scheduler: freshScheduler), promptBuilder: builder)
            .judge(pair.swapped(), settings: small)
        let reused = try #require(swapped.votes.first?.completion), alone = try #require(fresh.votes.first?.completion)
        #expect(reused.text == alone.text)
        #expect(reused.promptTokens == alone.promptTokens)
        let a = try #require(reused.readout), b = try #require(alone.readout)
        for (x, y) in zip(a.expectedScores + [a.expectedRanking ?? 0], b.expectedScores + [b.expectedRanking ?? 0]) {
            #expect(abs(x - y) < 0.02, "\(a.expectedScores) \(a.expectedRanking ?? 0) vs \(b.expectedScores) \(b.expectedRanking ?? 0)")
        }
    }

    @Test func oneResponseGetsOneScoreAndNoRanking() async throws {
        let single = try JudgeRequest(history: [HistoryTurn(.user, "What about 1+2?")], responses: ["1+2=4"])
        let result = try await judge().judge(single, settings: small)
        let judgment = try #require(result.judgment)
        #expect(judgment.scores.count == 1)
        #expect(judgment.ranking == nil)
        #expect(result.expectedRanking == nil)
        #expect(result.expectedScores.map { $0.count == 1 && (1...5).contains($0[0]) } == true)
    }

    /// Votes decoded together in one batch equal the same votes decoded alone: forking the
    /// prompt's cache and batching the decode change nothing but speed.
    @Test func batchedVotesEqualVotesDecodedAlone() async throws {
        var sampled = small
        sampled.sampling.temperature = 0.8
        sampled.sampling.seed = 40
        let together = try await judge().judge(pair, votes: 3, settings: sampled)
        #expect(together.votes.count == 3)
        var alone = sampled
        alone.sampling.seed = 41
        let second = try await judge().judge(pair, votes: 1, settings: alone)
        #expect(second.votes[0].completion.text == together.votes[1].completion.text)
        // And a rerun with the same seed reproduces every vote.
        let again = try await judge().judge(pair, votes: 3, settings: sampled)
        #expect(again.votes.map(\.completion.text) == together.votes.map(\.completion.text))
    }

    @Test func swappedJudgingRunsBothOrders() async throws {
        let result = try await judge().judge(pair, votes: 1, swap: true, settings: small)
        #expect(result.votes.map(\.order) == [.original, .swapped])
        #expect(result.summary.votes == 2)
        let expected = try #require(result.expectedRanking)
        #expect((1...6).contains(expected))
    }

    @Test func freeGenerationStopsAtItsTokenCap() async throws {
        var free = small
        free.structured = false
        free.maxTokens = 6
        let result = try await judge().judge(pair, settings: free)
        let vote = try #require(result.votes.first)
        #expect(vote.completion.completionTokens <= 6)
        #expect(vote.completion.readout == nil)
        // Six tokens cannot hold a judgment: the failure is reported, never guessed.
        #expect(result.summary.failedParses == 1)
    }

    @Test func aPromptThatDoesNotFitIsAnErrorStatingBothSizes() async throws {
        let model = try #require(Self.model, "the default model is missing: run scripts/fetch-assets.sh")
        let tiny = try EmbeddedModel(path: model.path, contextLength: 300)
        let scheduler = Self.ownScheduler(tiny)
        defer { scheduler.shutdown() }
        let judge = Judge(backend: EmbeddedJudgeBackend(model: tiny, scheduler: scheduler), promptBuilder: try JudgePromptBuilder.bundled())
        do {
            _ = try await judge.judge(pair, settings: small)
            Issue.record("a 300-token context cannot hold the judging prompt")
        } catch let error as JudgeDecodingError {
            #expect(error.description.contains("300"))
            guard case .contextOverflow(let promptTokens, _, let contextLength) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(promptTokens > 300)
            #expect(contextLength == 300)
        }
    }
}
