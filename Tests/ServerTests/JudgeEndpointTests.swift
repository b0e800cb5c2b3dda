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
        let expected = try #require(json["expected_scores"] as? [Double])
        #expect(expected.count == 2 && expected.allSatisfy { (1...5).contains($0) })
        #expect(json["expected_ranking"] is Double)
        #expect(json["verdict"] is String)
        #expect(json["summary"] is [String: Any])
        let usage = try #require(json["usage"] as? [String: Int])
        #expect((usage["completion_tokens"] ?? 0) > 0)
    }

    @Test func historyAndResponsesFormMatchesTheMessagesForm() async throws {
        let server = try await TestServers.standard.value
        let fromMessages = try await server.post("/v1/judge", ["messages": Bodies.oneResponse]).json()
        let fromParts = try await server.post("/v1/judge", [
            "history": Array(Bodies.oneResponse.dropLast()), "responses": ["1+2=4"],
        ]).json()
        let score = { (json: [String: Any]) in (json["judgment"] as? [String: Any])?["scores"] as? [Int] }
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
