import Foundation
import Testing

@Suite struct JudgeEndpointTests {
    @Test func messagesFormReturnsTheProtocolJudgment() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.post("/v1/judge", ["messages": Bodies.twoResponses, "votes": 2, "seed": 9])
        #expect(reply.status == 200, "\(reply.text)")
        let json = try reply.json()
        #expect(json["responses"] as? Int == 2)
        let votes = try #require(json["votes"] as? [[String: Any]])
        #expect(votes.count == 2)
        #expect(votes.allSatisfy { $0["judgment"] is [String: Any] && $0["readout"] is [String: Any] })
        // The top level is the combined result, not the first vote's judgment.
        #expect(json["judgment"] == nil)
        let judgments = votes.compactMap { $0["judgment"] as? [String: Any] }
        let rankings = judgments.compactMap { $0["ranking"] as? Int }
        let meanRanking = Double(rankings.reduce(0, +)) / Double(rankings.count)
        #expect(json["ranking"] as? Double == meanRanking)
        let scores = judgments.compactMap { $0["scores"] as? [Int] }
        #expect(json["scores"] as? [Double] == [0, 1].map { i in Double(scores.reduce(0) { $0 + $1[i] }) / Double(scores.count) })
        #expect(json["preferred"] as? Int == (meanRanking < 3.5 ? 1 : meanRanking > 3.5 ? 2 : nil))
        let expected = try #require(json["expected_scores"] as? [Double])
        #expect(expected.count == 2 && expected.allSatisfy { (1...5).contains($0) })
        #expect(json["expected_ranking"] is Double)
        #expect(json["verdict"] is String)
        #expect(json["summary"] is [String: Any])
        let usage = try #require(json["usage"] as? [String: Int])
        #expect((usage["completion_tokens"] ?? 0) > 0)
    }

    /// Votes and choices are bounded by memory, checked before anything is allocated: with
    /// `--max-num-seqs 100000`, 300 votes that would hold more than `--kv-cache-memory` are a 400
    /// naming `votes` and the numbers (the server used to abort), and the server goes on serving.
    @Test func votesBeyondTheMemoryBudgetAreRefusedWithTheNumbers() async throws {
        let server = try await TestServers.start(try await TestServers.configuration {
            $0.maxNumSeqs = 100_000
            $0.kvCacheMemory = 256 << 20
        })
        let refused = try await server.post("/v1/judge", ["messages": Bodies.twoResponses, "votes": 300, "temperature": 1])
        #expect(refused.status == 400, "\(refused.text)")
        let error = try #require(try refused.json()["error"] as? [String: Any])
        #expect(error["param"] as? String == "votes")
        let message = try #require(error["message"] as? String)
        #expect(message.contains("300 choices") && message.contains("256.0 MiB") && message.contains("--kv-cache-memory"), "\(message)")
        let chat = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["n": 5000, "max_tokens": 4]))
        #expect(chat.status == 400, "\(chat.text)")
        #expect((try chat.json()["error"] as? [String: Any])?["param"] as? String == "n")
        let judged = try await server.post("/v1/judge", ["messages": Bodies.twoResponses, "votes": 2, "seed": 9])
        #expect(judged.status == 200, "\(judged.text)")
    }

    /// Sizes a request gives are refused with a 400 naming the field before anything of their
    /// size is built or summed (Schemathesis found `analysis_tokens` = 2^63 - 1 trapping on an
    /// overflow and taking the server down): votes, choices, token budgets and candidate pairs.
    @Test func absurdSizesAreRefusedBeforeAnythingOfTheirSize() async throws {
        let server = try await TestServers.standard.value
        let huge = Int.max
        let cases: [(String, [String: Any], String)] = [
            ("/v1/judge", ["messages": Bodies.twoResponses, "votes": huge], "votes"),
            ("/v1/judge", ["messages": Bodies.twoResponses, "votes": huge, "swap": true], "votes"),
            ("/v1/judge", ["history": [["role": "user", "content": "Hi"]], "responses": ["a"], "analysis_tokens": huge], "messages"),
            ("/v1/judge", ["messages": Bodies.twoResponses, "reasoning_tokens": huge, "analysis_tokens": huge], "messages"),
            ("/v1/chat/completions", Bodies.with(Bodies.chat, ["n": huge]), "n"),
            ("/v1/chat/completions", Bodies.with(Bodies.chat, ["max_tokens": huge]), "max_tokens"),
            ("/v1/chat/completions", ["messages": Bodies.twoResponses, "n": huge], "n"),
            ("/v1/rewards", ["history": [["role": "user", "content": "Hi"]], "candidates": ["a", "b", "c"], "votes": huge, "swap": true], "votes"),
            ("/v1/rewards", ["history": [["role": "user", "content": "Hi"]], "candidates": Array(repeating: "x", count: 200),
                             "schedule": "all_pairs"], "candidates"),
        ]
        for (route, body, field) in cases {
            let reply = try await server.post(route, body)
            #expect(reply.status == 400, "\(route) \(field): \(reply.text)")
            #expect((try reply.json()["error"] as? [String: Any])?["param"] as? String == field, "\(route) \(field): \(reply.text)")
        }
        #expect(try await server.get("/health").status == 200)
    }

    /// `/v1/rewards` on the embedded engine: both orders of a 2-candidate group (circular), each
    /// comparison's read-out, one reward per candidate; a bad field is a 400 naming it.
    @Test func rewardsOfACandidateGroup() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.post("/v1/rewards", [
            "history": [["role": "user", "content": "What is 1+2?"]], "candidates": ["3", "4"], "aggregator": "individual_scores",
        ])
        #expect(reply.status == 200, "\(reply.text)")
        let json = try reply.json()
        let rewards = try #require(json["rewards"] as? [Double])
        #expect(rewards.count == 2 && rewards.allSatisfy { (1...5).contains($0) })
        let comparisons = try #require(json["comparisons"] as? [[String: Any]])
        #expect(comparisons.map { "\($0["i"]!)\($0["j"]!)" } == ["01", "10"])
        #expect(comparisons.allSatisfy { $0["expected_ranking"] is Double && $0["failures"] as? Int == 0 })
        let bad = try await server.post("/v1/rewards", ["history": [["role": "user", "content": "q"]], "candidates": ["a", "b"], "schedule": "ring"])
        #expect(bad.status == 400)
        let error = try #require(try bad.json()["error"] as? [String: Any])
        #expect(error["param"] as? String == "schedule")
    }

    @Test func historyAndResponsesFormMatchesTheMessagesForm() async throws {
        let server = try await TestServers.standard.value
        let fromMessages = try await server.post("/v1/judge", ["messages": Bodies.oneResponse]).json()
        let fromParts = try await server.post("/v1/judge", [
            "history": Array(Bodies.oneResponse.dropLast()), "responses": ["1+2=4"],
        ]).json()
        let score = { (json: [String: Any]) in json["scores"] as? [Double] }
        #expect(score(fromMessages) != nil)
        #expect(score(fromMessages) == score(fromParts))
        #expect(fromMessages["expected_scores"] as? [Double] == fromParts["expected_scores"] as? [Double])
    }

    @Test func swapJudgesBothOrders() async throws {
        let server = try await TestServers.standard.value
        let json = try await server.post("/v1/judge", ["messages": Bodies.twoResponses, "swap": true]).json()
        let orders = (json["votes"] as? [[String: Any]] ?? []).compactMap { $0["order"] as? String }
        #expect(orders == ["original", "swapped"])
    }
}
