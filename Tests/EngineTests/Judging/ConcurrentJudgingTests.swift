import Foundation
import GenRM
import Testing
@testable import Engine

/// Judgments made at the same time share decode steps on the scheduler (`eval run
/// --concurrency N`, a server's concurrent `/v1/judge`) and come out as they do one at a time.
@Suite struct ConcurrentJudgingTests {
    let requests = (1...4).map { i in
        try! JudgeRequest(history: [HistoryTurn(.user, "What is \(i)+\(i)?")], responses: ["\(2 * i)", "\(2 * i + 1)"])
    }
    let settings = JudgeSettings(temperature: 0.7, seed: 5, reasoningTokens: 6, analysisTokens: 4)

    @Test func concurrentJudgmentsBatchAndEqualJudgmentsMadeOneAtATime() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        let judge = Judge(backend: EmbeddedJudgeBackend(model: model, scheduler: scheduler), promptBuilder: try JudgePromptBuilder.bundled())
        var alone: [[String]] = []
        for request in requests {
            alone.append(try await judge.judge(request, votes: 2, settings: settings).votes.map(\.completion.text))
        }
        let before = scheduler.stats
        let together = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask { (index, try await judge.judge(request, votes: 2, settings: settings).votes.map(\.completion.text)) }
            }
            return try await group.reduce(into: [Int: [String]]()) { $0[$1.0] = $1.1 }
        }
        for index in requests.indices { #expect(together[index] == alone[index], "request \(index)") }
        let after = scheduler.stats
        let rows = after.decodedRows - before.decodedRows, steps = after.decodeSteps - before.decodeSteps
        // Alone, two votes fill a step; together, more than one judgment's votes do.
        #expect(Double(rows) / Double(max(steps, 1)) > 2.5, "\(rows) rows in \(steps) steps")
    }

    @Test func everyJudgmentParsesUnderTheSkeleton() async throws {
        let (model, scheduler) = try tinyScheduler()
        defer { scheduler.shutdown() }
        let judge = Judge(backend: EmbeddedJudgeBackend(model: model, scheduler: scheduler), promptBuilder: try JudgePromptBuilder.bundled())
        let result = try await judge.judge(requests[0], votes: 3, swap: true, settings: settings)
        #expect(result.summary.votes == 6)
        #expect(result.summary.failedParses == 0)
        #expect(result.votes.allSatisfy { $0.completion.readout != nil })
    }

    @Test func aPromptThatDoesNotFitNamesBothSizes() async throws {
        let (model, scheduler) = try tinyScheduler { _ in .init(contextLength: 256) }
        defer { scheduler.shutdown() }
        let judge = Judge(backend: EmbeddedJudgeBackend(model: model, scheduler: scheduler), promptBuilder: try JudgePromptBuilder.bundled())
        await #expect {
            _ = try await judge.judge(requests[0], settings: settings)
        } throws: { error in
            guard case .contextOverflow(let prompt, _, let context)? = error as? JudgeDecodingError else { return false }
            return prompt > 256 && context == 256
        }
    }
}
