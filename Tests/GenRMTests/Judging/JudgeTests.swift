import Foundation
import Testing
@testable import GenRM

/// A backend that answers from a script: the judge's own logic (prompting, parsing, voting,
/// position swap, readouts) is tested here; the engine-backed judge is tested in EngineTests.
private struct ScriptedBackend: JudgeBackend {
    let modelName = "scripted"
    let maxVotes = 1000
    /// Completions for the original order, then for the swapped order.
    let original: [JudgeCompletion]
    let swapped: [JudgeCompletion]
    let seenPrompts = PromptLog()

    func complete(_ input: JudgeInput, settings: JudgeSettings, votes: Int) async throws -> [JudgeCompletion] {
        let isSwapped = seenPrompts.record(input.prompt)
        return Array((isSwapped ? swapped : original).prefix(votes))
    }
}

private final class PromptLog: @unchecked Sendable {
    // Only touched from one test task at a time; the lock keeps the checker honest.
    private let lock = NSLock()
    private var prompts: [JudgePrompt] = []

    /// Records the prompt; returns whether an earlier prompt was already seen (the swapped call).
    func record(_ prompt: JudgePrompt) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        prompts.append(prompt)
        return prompts.count > 1
    }

    var all: [JudgePrompt] {
        lock.lock()
        defer { lock.unlock() }
        return prompts
    }
}

private func output(scores: [Int], ranking: Int?) -> String {
    "thinking</think>\n" + JudgmentFormat.finalBlocks(
        analyses: scores.indices.map { "analysis \($0 + 1)" }, scores: scores, ranking: ranking)
}

private func completion(_ text: String, readout: ScoreReadout? = nil) -> JudgeCompletion {
    JudgeCompletion(text: text, readout: readout, promptTokens: 10, completionTokens: 5, finishReason: "stop")
}

private let pairRequest = try! JudgeRequest(
    history: [HistoryTurn(.user, "What about 1+2?")], responses: ["1+2=4", "1+2=3"])

@Suite("Judge over a backend")
struct JudgeTests {
    private func judge(_ backend: ScriptedBackend) throws -> Judge {
        Judge(backend: backend, promptBuilder: try JudgePromptBuilder.bundled())
    }

    @Test func votesAreParsedAndCombinedWithFailuresCounted() async throws {
        let backend = ScriptedBackend(original: [
            completion(output(scores: [1, 5], ranking: 5)),
            completion(output(scores: [2, 4], ranking: 6)),
            completion("reasoning that never ends"),
        ], swapped: [])
        let result = try await judge(backend).judge(pairRequest, votes: 3)
        #expect(result.votes.count == 3)
        #expect(result.summary.failedParses == 1)
        #expect(result.summary.meanRanking == 5.5)
        #expect(result.summary.preferred == 2)
        #expect(result.judgment?.scores == [1, 5])
        #expect(result.promptTokens == 30)
        if case .failure(let failure) = result.votes[2].outcome {
            #expect(failure.rawOutput == "reasoning that never ends")
        } else {
            Issue.record("the third vote should fail to parse")
        }
    }

    @Test func swappedVotesAreMappedBackBeforeCombining() async throws {
        let readout = ScoreReadout(scoreDistributions: [[0, 0, 0, 0, 1], [1, 0, 0, 0, 0]],
                                   rankingDistribution: [1, 0, 0, 0, 0, 0])
        // Original order: response 2 better (ranking 5). Swapped order: the model again prefers
        // the correct answer, now in position 1 (ranking 2 -> 5 in the request's order).
        let backend = ScriptedBackend(
            original: [completion(output(scores: [1, 5], ranking: 5), readout: readout.positionSwapped())],
            swapped: [completion(output(scores: [5, 1], ranking: 2), readout: readout)])
        let result = try await judge(backend).judge(pairRequest, votes: 1, swap: true)
        #expect(result.votes.map(\.order) == [.original, .swapped])
        #expect(result.summary.votes == 2)
        #expect(result.summary.meanRanking == 5)
        #expect(result.summary.meanScores == [1, 5])
        #expect(result.votes[1].judgmentInRequestOrder?.ranking == 5)
        #expect(result.expectedScores == [1, 5])
        #expect(result.expectedRanking == 6)
        // The second prompt judged the responses in the other order.
        let prompts = backend.seenPrompts.all
        #expect(prompts.count == 2)
        #expect(prompts[1].text.contains("[The Begin of Response 1]\n1+2=3"))
    }

    @Test func invalidCallsAreRejectedWithTheirReason() async throws {
        let backend = ScriptedBackend(original: [completion(output(scores: [3], ranking: nil))], swapped: [])
        let single = try JudgeRequest(history: [HistoryTurn(.user, "q")], responses: ["a"])
        await #expect(throws: JudgeError.invalidVotes(0)) { try await judge(backend).judge(single, votes: 0) }
        await #expect(throws: JudgeError.swapNeedsTwoResponses) { try await judge(backend).judge(single, swap: true) }
        await #expect(throws: ParameterRangeError.self) {
            try await judge(backend).judge(single, settings: JudgeSettings(topP: 0))
        }
        await #expect(throws: JudgeError.backendReturnedWrongCount(expected: 2, got: 1)) {
            try await judge(backend).judge(single, votes: 2)
        }
    }

    @Test func readoutSwapIsAnInvolution() {
        let readout = ScoreReadout(scoreDistributions: [[0.1, 0.2, 0.3, 0.2, 0.2], [0.5, 0.5, 0, 0, 0]],
                                   rankingDistribution: [0.1, 0.1, 0.1, 0.2, 0.2, 0.3])
        #expect(readout.positionSwapped().positionSwapped() == readout)
        let expected = readout.expectedRanking ?? 0
        #expect(abs((readout.positionSwapped().expectedRanking ?? 0) - (7 - expected)) < 1e-12)
        #expect(readout.likeliestScores == [3, 1])
    }
}
