import Foundation
import GenRM
import Testing
@testable import Remote

/// llama.cpp's OpenAI-compatible server (`python -m llama_cpp.server`, PyPI llama-cpp-python) as
/// a third-party backend, on the same GGUF as the embedded default: judging in `messages` and
/// `text` modes. A small model writing freely rarely keeps the GenRM format; what matters here
/// is that every vote comes back from the server and is parsed or counted as failed, never
/// given an invented score.
@Suite(.serialized) struct LlamaCppBackendTests {
    static let server: Task<ServerProcess, any Error> = Task { try await ServerProcess.llamaCpp() }

    @Test(arguments: [BackendPromptMode.messages, .text])
    func judgesThroughLlamaCpp(_ mode: BackendPromptMode) async throws {
        let server = try await Self.server.value
        var configuration = PoolConfiguration(endpoints: [try BackendEndpoint(server.baseURL)])
        configuration.backoff = .milliseconds(50)
        let pool = try BackendPool(configuration)
        try await pool.waitUntilReady()
        #expect(pool.modelName == RemoteFiles.servedName)
        let judge = Judge(backend: RemoteJudgeBackend(pool: pool, mode: mode), promptBuilder: try JudgePromptBuilder.bundled())
        let request = try JudgeRequest(json: Data(RemoteFiles.twoResponses.utf8))
        let result = try await judge.judge(request, votes: 2, settings: JudgeSettings(temperature: 0.7, topP: 0.95, seed: 5, maxTokens: 48))
        #expect(result.votes.count == 2)
        #expect(result.summary.parsedVotes + result.summary.failedParses == 2)
        for vote in result.votes {
            #expect(!vote.completion.text.isEmpty)
            #expect(vote.completion.completionTokens > 0 && vote.completion.completionTokens <= 48)
            #expect(vote.completion.promptTokens > 500, "the judging prompt reached the server")
            #expect(vote.completion.backend == server.baseURL)
            // No score without a parse: a failed vote has no judgment and no read-out.
            if case .failure = vote.outcome { #expect(vote.completion.readout == nil) }
        }
        await pool.shutdown()
    }

    @Test func backendsCheckOnLlamaCpp() async throws {
        let server = try await Self.server.value
        let run = try await CLIRun.genrm(["backends", "check", server.baseURL])
        #expect(run.stdout.hasPrefix("\(server.baseURL): "), "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("models \(RemoteFiles.servedName)"))
    }
}
