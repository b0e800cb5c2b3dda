import Foundation
import GenRM
import Testing

@Suite struct StreamingTests {
    /// The events of a stream as JSON objects, `[DONE]` checked and removed.
    static func chunks(_ reply: LoopbackHTTP.Reply) throws -> [[String: Any]] {
        let events = reply.events
        #expect(events.last == "[DONE]")
        return try events.dropLast().map { event in
            try #require(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
        }
    }

    static func deltas(_ chunks: [[String: Any]], key: String = "content") -> String {
        chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
            .compactMap { $0[key] as? String }.joined()
    }

    @Test func streamedTextEqualsTheWholeAnswer() async throws {
        let server = try await TestServers.standard.value
        let body = Bodies.with(Bodies.chat, ["max_tokens": 10])
        let whole = try await server.post("/v1/chat/completions", body).json()
        let expected = ((whole["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String
        let reply = try await server.post("/v1/chat/completions", Bodies.with(body, ["stream": true, "stream_options": ["include_usage": true]]))
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let chunks = try Self.chunks(reply)
        let first = try #require(chunks.first)
        let firstDelta = (first["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]
        #expect(firstDelta?["role"] as? String == "assistant")
        #expect(Set(chunks.compactMap { $0["id"] as? String }).count == 1)
        #expect(Set(chunks.compactMap { $0["created"] as? Int }).count == 1)
        #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
        #expect(Self.deltas(chunks) == expected)
        let finishes = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
        #expect(finishes.count == 1)
        let last = try #require(chunks.last)
        #expect((last["choices"] as? [Any])?.isEmpty == true)
        let usage = try #require(last["usage"] as? [String: Int])
        #expect(usage["completion_tokens"] == (whole["usage"] as? [String: Int])?["completion_tokens"])
    }

    @Test func streamedJudgmentParses() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.post("/v1/chat/completions", ["messages": Bodies.twoResponses, "temperature": 0, "stream": true])
        let text = Self.deltas(try Self.chunks(reply))
        let judgment = try JudgmentParser.parse(text, responses: .two)
        #expect(judgment.scores.count == 2)
    }

    @Test func streamedReasoningGoesToReasoningContent() async throws {
        let server = try await TestServers.reasoning.value
        let whole = try await server.post("/v1/chat/completions", ["messages": Bodies.oneResponse, "temperature": 0]).json()
        let message = try #require((whole["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
        let chunks = try Self.chunks(try await server.post("/v1/chat/completions", ["messages": Bodies.oneResponse, "temperature": 0, "stream": true]))
        #expect(Self.deltas(chunks, key: "reasoning_content") == message["reasoning_content"] as? String)
        #expect(Self.deltas(chunks) == message["content"] as? String)
    }
}
