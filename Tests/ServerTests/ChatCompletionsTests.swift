import Foundation
import GenRM
import Testing

@Suite struct ChatCompletionsTests {
    @Test func plainChatAnswersInTheOpenAIShape() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.post("/v1/chat/completions", Bodies.chat)
        #expect(reply.status == 200, "\(reply.text)")
        let json = try reply.json()
        #expect((json["id"] as? String)?.hasPrefix("chatcmpl-") == true)
        #expect(json["object"] as? String == "chat.completion")
        #expect(json["model"] as? String == TestServers.servedName)
        let choices = try #require(json["choices"] as? [[String: Any]])
        #expect(choices.count == 1)
        let message = try #require(choices[0]["message"] as? [String: Any])
        #expect(message["role"] as? String == "assistant")
        #expect(message["content"] is String)
        #expect(["stop", "length"].contains(choices[0]["finish_reason"] as? String))
        // Not asked for: null, as OpenAI answers (it was `{"content": []}`).
        #expect(choices[0]["logprobs"] is NSNull, "\(String(describing: choices[0]["logprobs"]))")
        let usage = try #require(json["usage"] as? [String: Int])
        #expect((usage["prompt_tokens"] ?? 0) > 5)
        #expect((1...6).contains(usage["completion_tokens"] ?? 0))
        #expect(usage["total_tokens"] == (usage["prompt_tokens"] ?? 0) + (usage["completion_tokens"] ?? 0))
    }

    @Test func seedReproducesSampledChoicesAndNShareOnePrompt() async throws {
        let server = try await TestServers.standard.value
        let body = Bodies.with(Bodies.chat, ["temperature": 1.0, "seed": 1234, "n": 2, "max_tokens": 8])
        let first = try await server.post("/v1/chat/completions", body).json()
        let second = try await server.post("/v1/chat/completions", body).json()
        let contents = { (json: [String: Any]) in
            (json["choices"] as? [[String: Any]] ?? []).map { ($0["message"] as? [String: Any])?["content"] as? String ?? "<none>" }
        }
        #expect(contents(first).count == 2)
        #expect(contents(first) == contents(second))
        let usage = try #require(first["usage"] as? [String: Int])
        // n choices share the prompt: it is counted once.
        let single = try await server.post("/v1/chat/completions", Bodies.with(body, ["n": 1])).json()
        #expect(usage["prompt_tokens"] == (single["usage"] as? [String: Int])?["prompt_tokens"])
    }

    @Test func stopStringEndsTheTextAndIsReported() async throws {
        let server = try await TestServers.standard.value
        let free = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["max_tokens": 12])).json()
        let text = try #require(((free["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String)
        let words = text.split(separator: " ")
        try #require(words.count >= 2, "the model wrote too little to cut: \(text)")
        let stop = String(words[1])
        let cut = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["max_tokens": 12, "stop": [stop]])).json()
        let choice = try #require((cut["choices"] as? [[String: Any]])?.first)
        let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
        #expect(choice["finish_reason"] as? String == "stop")
        #expect(choice["stop_reason"] as? String == stop)
        #expect(!content.contains(stop))
        #expect(text.hasPrefix(content))
    }

    @Test func logprobsListEverySampledToken() async throws {
        let server = try await TestServers.standard.value
        let json = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["logprobs": true, "top_logprobs": 2])).json()
        let choice = try #require((json["choices"] as? [[String: Any]])?.first)
        let content = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
        let completion = try #require((json["usage"] as? [String: Int])?["completion_tokens"])
        #expect(content.count == completion)
        for entry in content {
            let logprob = try #require(entry["logprob"] as? Double)
            let top = try #require(entry["top_logprobs"] as? [[String: Any]])
            #expect(logprob <= 0)
            #expect(top.count == 2)
            // Greedy: the sampled token is the likeliest.
            #expect(abs((top.first?["logprob"] as? Double ?? 1) - logprob) < 1e-6)
        }
    }

    /// Structured judging answers `logprobs` too: one entry per output token (forced markers
    /// included), spelling the content exactly, and at each score slot the top logprobs hold the
    /// digits whose renormalised probabilities are the judge's own read-out (`/v1/judge`).
    @Test func structuredJudgingReportsLogprobsOfEveryToken() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.post("/v1/chat/completions", [
            "model": TestServers.servedName, "messages": Bodies.twoResponses, "temperature": 0.0, "logprobs": true, "top_logprobs": 20,
        ])
        #expect(reply.status == 200, "\(reply.text)")
        let json = try reply.json()
        let choice = try #require((json["choices"] as? [[String: Any]])?.first)
        let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
        let entries = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
        let completion = try #require((json["usage"] as? [String: Int])?["completion_tokens"])
        #expect(entries.count == completion)
        let spelled = entries.reduce(into: [UInt8]()) { $0 += ($1["bytes"] as? [Int] ?? []).map(UInt8.init) }
        #expect(String(decoding: spelled, as: UTF8.self) == content)
        for entry in entries {
            #expect((entry["logprob"] as? Double ?? 1) <= 0)
            #expect((entry["top_logprobs"] as? [[String: Any]])?.count == 20)
        }

        let judged = try await server.post("/v1/judge", ["messages": Bodies.twoResponses, "temperature": 0.0]).json()
        let votes = try #require(judged["votes"] as? [[String: Any]])
        let readout = try #require(votes.first?["readout"] as? [String: Any])
        let expected = try #require(readout["ranking_distribution"] as? [Double])
        // The ranking slot: the one digit token after the last `\boxed{`.
        let texts = entries.map { String(decoding: ($0["bytes"] as? [Int] ?? []).map(UInt8.init), as: UTF8.self) }
        let boxes = texts.indices.filter { texts[$0].hasSuffix("{") }
        let slot = try #require(boxes.last.map { $0 + 1 })
        let top = try #require(entries[slot]["top_logprobs"] as? [[String: Any]])
        var probabilities = (1...6).map { digit in
            top.first { $0["token"] as? String == String(digit) }.flatMap { $0["logprob"] as? Double }.map(Foundation.exp) ?? 0
        }
        let total = probabilities.reduce(0, +)
        probabilities = probabilities.map { $0 / total }
        for (got, want) in zip(probabilities, expected) { #expect(abs(got - want) < 1e-3) }
    }

    @Test func cardStyleJudgingOfOneResponseParses() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.post("/v1/chat/completions", [
            "model": TestServers.servedName, "messages": Bodies.oneResponse, "temperature": 0.0, "top_p": 1.0,
            "max_tokens": 4096, "stream": false,
        ])
        #expect(reply.status == 200, "\(reply.text)")
        let json = try reply.json()
        let choice = try #require((json["choices"] as? [[String: Any]])?.first)
        let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
        #expect(content.contains("</think>"))
        let answer = content.components(separatedBy: "</think>").last ?? ""
        let judgment = try JudgmentParser.parse(answer.trimmingCharacters(in: .whitespacesAndNewlines), responses: .one)
        #expect((1...5).contains(judgment.scores[0]))
        #expect(choice["finish_reason"] as? String == "stop")
    }

    @Test func twoResponsesGetScoresAndARanking() async throws {
        let server = try await TestServers.standard.value
        let json = try await server.post("/v1/chat/completions", [
            "messages": Bodies.twoResponses, "temperature": 0.0, "max_tokens": 4096,
        ]).json()
        let content = try #require(((json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String)
        let judgment = try JudgmentParser.parse(content, responses: .two)
        #expect(judgment.scores.count == 2)
        #expect((1...6).contains(judgment.ranking ?? 0))
    }

    @Test func reasoningParserSplitsAtThinkEnd() async throws {
        let server = try await TestServers.reasoning.value
        let json = try await server.post("/v1/chat/completions", ["messages": Bodies.oneResponse, "temperature": 0]).json()
        let message = try #require((json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
        let content = try #require(message["content"] as? String)
        #expect(message["reasoning_content"] is String)
        #expect(!content.contains("</think>"))
        #expect(content.contains("[The Begin of Individual Scores]"))
    }
}
