import Foundation
import GenRM
import Testing
@testable import Remote

/// The pool's pure parts on real data shapes: the logprob score read-out, routing, health
/// transitions, URL handling and the context refusal vLLM and genrm write.
@Suite struct ReadoutAndRoutingTests {
    /// Tokens spelling `text`, one per piece; digit pieces carry top logprobs over `alternatives`.
    static func tokens(_ pieces: [String], alternatives: [String: [String: Double]] = [:]) -> [TokenAlternatives] {
        pieces.map { piece in
            let top = (alternatives[piece] ?? [:]).map { TokenAlternatives.Alternative(token: $0.key, logprob: $0.value) }
                .sorted { $0.logprob > $1.logprob }
            return TokenAlternatives(token: piece, logprob: top.first { $0.token == piece }?.logprob ?? -0.1, top: top)
        }
    }

    @Test func readsEachScoreSlotAndRenormalisesOverTheAllowedDigits() throws {
        let digits: [String: [String: Double]] = [
            "1": ["1": log(0.2), "2": log(0.1), "3": log(0.1), "4": log(0.05), "5": log(0.05), "x": log(0.5)],
            "5": ["1": log(0.01), "2": log(0.01), "3": log(0.02), "4": log(0.16), "5": log(0.8)],
            "6": ["1": log(0.1), "2": log(0.1), "3": log(0.1), "4": log(0.1), "5": log(0.1), "6": log(0.5)],
        ]
        let pieces = ["reasoning", "</think>", "\n[The Begin of Individual Scores]\n", "\\boxed{", "1", ", ", "5", "}\n",
                      "[The End of Individual Scores]\n", "[The Begin of Ranking Score]\n", "\\boxed{", "6", "}\n", "[The End of Ranking Score]"]
        let result = LogprobScoreReadout.read(Self.tokens(pieces, alternatives: digits), responses: .two)
        let readout = try #require(result.readout)
        #expect(result.missing.isEmpty)
        let first = readout.scoreDistributions[0]
        #expect(abs(first[0] - 0.4) < 1e-12 && abs(first[1] - 0.2) < 1e-12 && abs(first[4] - 0.1) < 1e-12)
        #expect(abs(readout.expectedScores[1] - (0.01 + 0.02 + 0.06 + 0.64 + 4.0)) < 1e-9)
        #expect(abs(try #require(readout.rankingDistribution)[5] - 0.5) < 1e-12)
    }

    @Test func digitsMissingFromTheTopListAreNamed() throws {
        let pieces = ["</think>", "[The Begin of Individual Scores]", "\\boxed{", "4", "}", "[The End of Individual Scores]"]
        let result = LogprobScoreReadout.read(
            Self.tokens(pieces, alternatives: ["4": ["4": log(0.6), "3": log(0.2), "?": log(0.2)]]), responses: .one)
        let readout = try #require(result.readout)
        #expect(result.missing == ["response_1": [1, 2, 5]])
        #expect(readout.missingDigits == ["response_1": [1, 2, 5]])
        #expect(abs(readout.scoreDistributions[0][3] - 0.75) < 1e-12)
    }

    /// A tokenizer that glues the digit to the brace: the alternatives are spelled the same way.
    @Test func readsADigitMergedWithItsNeighbour() throws {
        let pieces = ["</think>", "[The Begin of Individual Scores]", "\\boxed", "{3", "}", "[The End of Individual Scores]"]
        let alternatives = ["{3": ["{3": log(0.5), "{2": log(0.25), "{1": log(0.25), "3": log(0.9)]]
        let readout = try #require(LogprobScoreReadout.read(Self.tokens(pieces, alternatives: alternatives), responses: .one).readout)
        #expect(abs(readout.scoreDistributions[0][2] - 0.5) < 1e-12)
        #expect(abs(readout.scoreDistributions[0][0] - 0.25) < 1e-12)
    }

    @Test func noLogprobsOrNoBlocksReadNothing() {
        let plain = ["</think>", "no scores at all"]
        #expect(LogprobScoreReadout.read(Self.tokens(plain), responses: .one).readout == nil)
        let bare = ["</think>", "[The Begin of Individual Scores]", "\\boxed{", "4", "}"]
        // No top list: nothing to read, not a certainty invented from the chosen token.
        #expect(LogprobScoreReadout.read(Self.tokens(bare), responses: .one).readout == nil)
        let twoDigits = ["</think>", "[The Begin of Individual Scores]", "\\boxed{", "45", "}"]
        #expect(LogprobScoreReadout.read(Self.tokens(twoDigits, alternatives: ["45": ["45": -0.1]]), responses: .one).readout == nil)
    }

    static func states(_ loads: [Int], healthy: [Bool]? = nil) throws -> [BackendState] {
        try loads.enumerated().map { index, load in
            var state = BackendState(endpoint: try BackendEndpoint("http://10.0.0.\(index + 1):8000/v1"))
            state.healthy = healthy?[index] ?? true
            state.model = "m"
            state.inFlight = load
            return state
        }
    }

    @Test func routesToTheLeastBusyHealthyBackend() throws {
        let states = try Self.states([5, 2, 0], healthy: [true, true, false])
        #expect(BackendRouting.choose(states, maxInflight: 64, affinity: nil, avoid: [], turn: 0) == 1)
        // Full backends take nothing; with all full, nobody is chosen (the caller waits).
        #expect(BackendRouting.choose(try Self.states([64, 64]), maxInflight: 64, affinity: nil, avoid: [], turn: 0) == nil)
        // A retry avoids the backend that failed while another is healthy.
        #expect(BackendRouting.choose(try Self.states([0, 9]), maxInflight: 64, affinity: nil, avoid: [0], turn: 0) == 1)
        #expect(BackendRouting.choose(try Self.states([0]), maxInflight: 64, affinity: nil, avoid: [0], turn: 0) == 0)
        // Nothing healthy: the backends marked down are the last resort.
        #expect(BackendRouting.choose(try Self.states([3, 1], healthy: [false, false]), maxInflight: 64, affinity: nil, avoid: [], turn: 0) == 1)
    }

    @Test func affinityKeepsAPairOnOneBackendUntilItIsMuchBusier() throws {
        let keys = (0..<40).map { "pair-\($0)" }
        let idle = try Self.states([0, 0, 0])
        let preferred = keys.map { BackendRouting.choose(idle, maxInflight: 64, affinity: $0, avoid: [], turn: 0)! }
        // Keys spread over the backends, and each key always picks the same one.
        #expect(Set(preferred).count == 3)
        for (key, index) in zip(keys, preferred) {
            #expect(BackendRouting.choose(idle, maxInflight: 64, affinity: key, avoid: [], turn: 7) == index)
            var loads = [4, 4, 4]
            loads[index] = 2 * 4 + 8  // exactly 2x + 8 busier: still preferred
            #expect(BackendRouting.choose(try Self.states(loads), maxInflight: 64, affinity: key, avoid: [], turn: 0) == index)
            loads[index] += 1  // beyond: the least busy takes it
            #expect(BackendRouting.choose(try Self.states(loads), maxInflight: 64, affinity: key, avoid: [], turn: 0) != index)
        }
    }

    @Test func bothOrdersOfAPairShareOneAffinityKey() throws {
        let history = [HistoryTurn(.user, "q")]
        let pair = try JudgeRequest(history: history, responses: ["a", "b"])
        #expect(pair.affinityKey == (try pair.swapped()).affinityKey)
        #expect(pair.affinityKey != (try JudgeRequest(history: history, responses: ["a", "c"])).affinityKey)
    }

    @Test func healthGoesDownAfterThreeFailuresOrARefusalAndUpAfterTwoSuccesses() throws {
        var state = try Self.states([0], healthy: [false])[0]
        state.recordCheck(ok: true, hard: false, error: nil, toUp: 2, toDown: 3)
        #expect(state.healthy)  // the first good check ever brings it up
        state.recordCheck(ok: false, hard: false, error: "500", toUp: 2, toDown: 3)
        state.recordCheck(ok: false, hard: false, error: "500", toUp: 2, toDown: 3)
        #expect(state.healthy)
        state.recordCheck(ok: false, hard: false, error: "500", toUp: 2, toDown: 3)
        #expect(!state.healthy)
        state.recordCheck(ok: true, hard: false, error: nil, toUp: 2, toDown: 3)
        #expect(!state.healthy)
        state.recordCheck(ok: true, hard: false, error: nil, toUp: 2, toDown: 3)
        #expect(state.healthy)
        state.recordCheck(ok: false, hard: true, error: "refused", toUp: 2, toDown: 3)
        #expect(!state.healthy && state.lastError == "refused")
    }

    @Test func backendURLs() throws {
        #expect(try BackendEndpoint("http://host:8000/v1").baseURL == "http://host:8000/v1")
        #expect(try BackendEndpoint("http://host:8000/v1/").baseURL == "http://host:8000/v1")
        #expect(try BackendEndpoint("http://host:8000").baseURL == "http://host:8000/v1")
        #expect(try BackendEndpoint("https://h/openai/v1").root == "https://h")
        for bad in ["host:8000", "ftp://h/v1", "http:///v1", "http://h/v1?x=1", ""] {
            #expect(throws: BackendConfigurationError.self) { try BackendEndpoint(bad) }
        }
    }

    @Test func theContextRefusalGivesWhatTheContextLeaves() throws {
        let vllm = "'max_tokens' or 'max_completion_tokens' is too large: 32768. This model's maximum context length is 8192 tokens and your request has 900 input tokens (32768 > 8192 - 900)."
        let refusal = try #require(RemoteJudgeBackend.contextRefusal(vllm))
        #expect(refusal.length == 8192 && refusal.prompt == 900)
        let overlong = "This model's maximum context length is 8192 tokens. However, your request has 9000 input tokens. Please reduce the length of the input messages."
        #expect(RemoteJudgeBackend.contextRefusal(overlong).map { $0.length - $0.prompt } == -808)
        #expect(RemoteJudgeBackend.contextRefusal("temperature must be >= 0") == nil)
        // Once a backend's context is known, later requests ask for what it left the last prompt.
        #expect(RemoteJudgeBackend.Learned().maxTokens == 32768)
        #expect(RemoteJudgeBackend.Learned(contextLength: 8192, promptTokens: 900).maxTokens == 7292)
        #expect(RemoteJudgeBackend.Learned(contextLength: 40000, promptTokens: 900).maxTokens == 32768)
    }

    @Test func retryBackoffDoublesWithTwentyPercentJitter() async throws {
        let pool = try BackendPool(PoolConfiguration(endpoints: [try BackendEndpoint("http://127.0.0.1:9/v1")]))
        for retry in 0..<4 {
            let base = 0.5 * Double(1 << retry)
            for _ in 0..<20 {
                let wait = pool.backoff(retry).seconds
                #expect(wait >= base * 0.8 - 1e-9 && wait <= base * 1.2 + 1e-9)
            }
        }
        await pool.shutdown()
    }

    @Test func retryableFailures() {
        for code in [408, 429, 500, 502, 503, 504] { #expect(BackendFailure.status(backend: "b", code: code, message: "").isRetryable) }
        for code in [400, 401, 404, 422] { #expect(!BackendFailure.status(backend: "b", code: code, message: "").isRetryable) }
        #expect(BackendFailure.unreachable(backend: "b", reason: "refused").isRetryable)
        #expect(BackendFailure.timedOut(backend: "b", seconds: 5).isRetryable)
    }
}
