import Foundation
import Testing
@testable import GenRM

/// A judge that prefers the longer response: scores are min(5, length), ranking 2 or 5 by
/// length, 3 on a tie. A response containing `garbage` makes the vote unparseable.
private struct LengthJudge: JudgeBackend {
    let modelName = "length-judge"
    let maxVotes = 1000

    func complete(_ input: JudgeInput, settings: JudgeSettings, votes: Int) async throws -> [JudgeCompletion] {
        let responses = input.request.responses
        if responses.contains(where: { $0.contains("garbage") }) {
            return Array(repeating: JudgeCompletion(text: "<think>lost</think>", promptTokens: 1, completionTokens: 1, finishReason: "stop"), count: votes)
        }
        let scores = responses.map { min(5, max(1, $0.count)) }
        let ranking = responses[0].count > responses[1].count ? 2 : responses[0].count < responses[1].count ? 5 : 3
        let text = "<think>x</think>\n" + JudgmentFormat.finalBlocks(analyses: ["a", "b"], scores: scores, ranking: ranking)
        return Array(repeating: JudgeCompletion(text: text, promptTokens: 1, completionTokens: 1, finishReason: "stop"), count: votes)
    }
}

@Suite struct GroupRewardsTests {
    let judge: Judge

    init() throws {
        judge = Judge(backend: LengthJudge(), promptBuilder: try JudgePromptBuilder.bundled())
    }

    static func request(_ candidates: [String], _ extra: String = "") -> Data {
        let list = candidates.map { "\"\($0)\"" }.joined(separator: ", ")
        return Data(#"{"history": [{"role": "user", "content": "q"}], "candidates": [\#(list)]\#(extra)}"#.utf8)
    }

    @Test func everyScheduledPairIsJudgedAndAggregated() async throws {
        let request = try RewardsRequest(json: Self.request(["a", "bbb", "cc"], #", "schedule": "all_pairs", "swap": true, "aggregator": "individual_scores""#))
        let result = try await GroupRewards.run(request, judge: judge)
        #expect(result.comparisons.count == 6)
        #expect(result.failures == 0)
        // Each candidate's score is its length in every comparison.
        #expect(result.rewards == [1, 3, 2])
        let swapped = try #require(result.comparisons.first { $0.order == .swapped && $0.i == 1 && $0.j == 0 })
        #expect(swapped.ranking == 2)  // "bbb" (longer) as response 1
        #expect(swapped.scores == [3, 1])
    }

    /// NeMo-RL writes the r >= 4 map from response 1's side and so gives response 1 the full win
    /// at r = 6; here ranking 6 is response 2's full win.
    @Test func weightedWinLossGivesRankingSixToResponseTwo() throws {
        let judgment = PairJudgment(pair: CandidatePair(0, 1), scores: [1, 5], ranking: 6)
        #expect(try PairwiseRewards.rewards(candidates: 2, judgments: [judgment], aggregator: .weightedWinLoss) == [0, 1])
        let one = PairJudgment(pair: CandidatePair(0, 1), scores: [5, 1], ranking: 1)
        #expect(try PairwiseRewards.rewards(candidates: 2, judgments: [one], aggregator: .weightedWinLoss) == [1, 0])
    }

    /// A candidate none of whose comparisons parsed has no reward, not a neutral 3.0.
    @Test func unparsedComparisonsAreCountedAndGiveNoReward() async throws {
        let request = try RewardsRequest(json: Self.request(["a", "bb", "garbage"], #", "schedule": "circular""#))
        let result = try await GroupRewards.run(request, judge: judge)
        // (0,1) parses; (1,2) and (2,0) hold the garbage candidate.
        #expect(result.failures == 2)
        #expect(result.rewards[2] == nil)
        #expect(result.rewards[0] != nil && result.rewards[1] != nil)
    }

    @Test(arguments: [
        (#"{"history": [{"role": "user", "content": "q"}], "candidates": ["a"]}"#, "candidates"),
        (#"{"history": [{"role": "user", "content": "q"}], "candidates": ["a", 3]}"#, "candidates[1]"),
        (#"{"history": [], "candidates": ["a", "b"]}"#, "history"),
        (#"{"history": [{"role": "assistant", "content": "q"}], "candidates": ["a", "b"]}"#, "history"),
        (#"{"history": [{"role": "user", "content": "q"}], "candidates": ["a", "b"], "schedule": "ring"}"#, "schedule"),
        (#"{"history": [{"role": "user", "content": "q"}], "candidates": ["a", "b"], "aggregator": 1}"#, "aggregator"),
        (#"{"history": [{"role": "user", "content": "q"}], "candidates": ["a", "b"], "votes": 0}"#, "votes"),
        (#"{"history": [{"role": "user", "content": "q"}], "candidates": ["a", "b"], "temperature": -1}"#, "temperature"),
        (#"{"candidates": ["a", "b"]}"#, "history"),
    ])
    func badRequestsNameTheField(_ body: String, _ field: String) {
        do {
            _ = try RewardsRequest(json: Data(body.utf8))
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.field == field, "\(error)")
        }
    }

    @Test func samplingDefaultsFollowTheJudge() throws {
        let greedy = try RewardsRequest(json: Self.request(["a", "b"]))
        #expect(greedy.settings.sampling.temperature == 0 && greedy.settings.sampling.topP == 1)
        let voting = try RewardsRequest(json: Self.request(["a", "b"], #", "votes": 4, "seed": 9"#))
        #expect(voting.settings.sampling.temperature == 0.6 && voting.settings.sampling.topP == 0.95 && voting.settings.sampling.seed == 9)
    }
}
