import Foundation
import GenRM
import Testing
@testable import Server

/// vLLM's `/tokenize` and `/detokenize` on a real server: chat messages tokenize to exactly the
/// ids a chat completion of them prefills, prompts as `/v1/completions` and `genrm generate`
/// read them (special tokens parsed), and ids back to text.
@Suite(.serialized) struct TokenizeTests {
    /// The ids the server's own planner prefills for a chat request body.
    static func prefilled(_ server: RunningServer, _ body: [String: Any]) throws -> [Int] {
        guard case .embedded(let served) = server.server.serving else { throw LoopbackHTTP.LoopbackError("not an embedded server") }
        let request = try ChatCompletionRequest(body: try JSONSerialization.data(withJSONObject: body))
        return try served.plan(request).serving.prompt
    }

    static var chats: [[String: Any]] {
        [
        ["messages": [["role": "user", "content": "Name a colour."]]],
        ["messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "Hi"]], "add_generation_prompt": false],
        ["messages": [["role": "user", "content": "Say hi"], ["role": "assistant", "content": "Hello the"]],
         "add_generation_prompt": false, "continue_final_message": true],
        ["messages": Bodies.twoResponses],
        ]
    }

    @Test(arguments: 0..<4) func messagesTokenizeToTheChatPrefill(_ index: Int) async throws {
        let server = try await TestServers.completions.value
        let body = Self.chats[index]
        let reply = try await server.post("/tokenize", body)
        #expect(reply.status == 200, "\(reply.text)")
        let json = try reply.json()
        let tokens = try #require(json["tokens"] as? [Int])
        #expect(tokens == (try Self.prefilled(server, body)))
        #expect(json["count"] as? Int == tokens.count)
        #expect(json["max_model_len"] as? Int == server.server.configuration.maxModelLength)
        #expect(json["token_strs"] is NSNull)
        // And a chat completion of the same body reports that many prompt tokens.
        let chat = try await server.post("/v1/chat/completions", body.merging(["max_tokens": 1]) { $1 }).json()
        #expect((chat["usage"] as? [String: Int])?["prompt_tokens"] == tokens.count)
    }

    @Test func continuedFinalMessageEndsWithItsText() async throws {
        let server = try await TestServers.completions.value
        let json = try await server.post("/tokenize", Self.chats[2]).json()
        let tokens = try #require(json["tokens"] as? [Int])
        let text = try #require(try await server.post("/detokenize", ["tokens": tokens]).json()["prompt"] as? String)
        #expect(text.hasSuffix("Hello the"))
        let both = try await server.post("/tokenize", ["messages": [["role": "user", "content": "x"]], "continue_final_message": true])
        try BadRequestTests.expectError(both, status: 400, param: "continue_final_message", contains: "add_generation_prompt")
    }

    @Test func promptTokenizesWithSpecialTokensParsed() async throws {
        let server = try await TestServers.completions.value
        let model = try await TestServers.model.value
        let text = "<|im_start|>user\nWhat is 1+1?<|im_end|>"
        let json = try await server.post("/tokenize", ["prompt": text, "return_token_strs": true]).json()
        let tokens = try #require(json["tokens"] as? [Int])
        #expect(tokens == model.encodeRawPrompt(text, parseSpecial: true))
        #expect(tokens.first == model.tokenizer.id(forToken: "<|im_start|>"))
        let strings = try #require(json["token_strs"] as? [String])
        #expect(strings == tokens.map { model.tokenizer.tokenText($0) ?? "?" })
        #expect(strings.first == "<|im_start|>")
        let back = try await server.post("/detokenize", ["tokens": tokens]).json()
        #expect(back["prompt"] as? String == text)
    }

    static let cases: [RejectedRequest] = [
        RejectedRequest(path: "/tokenize", body: #"{}"#, param: "prompt", messageContains: "neither"),
        RejectedRequest(path: "/tokenize", body: #"{"prompt": "a", "messages": [{"role": "user", "content": "b"}]}"#, param: "prompt", messageContains: "not both"),
        RejectedRequest(path: "/tokenize", body: #"{"prompt": 3}"#, param: "prompt", messageContains: "string"),
        RejectedRequest(path: "/tokenize", body: #"{"messages": []}"#, param: "messages", messageContains: "empty"),
        RejectedRequest(path: "/tokenize", body: #"{"prompt": "a", "return_token_strs": 1}"#, param: "return_token_strs", messageContains: "boolean"),
        RejectedRequest(path: "/detokenize", body: #"{}"#, param: "tokens", messageContains: "no `tokens`"),
        RejectedRequest(path: "/detokenize", body: #"{"tokens": [1, 99999999]}"#, param: "tokens", messageContains: "`tokens[1]` = 99999999 is not a token id"),
        RejectedRequest(path: "/detokenize", body: #"{"tokens": [1.5]}"#, param: "tokens", messageContains: "integer"),
        RejectedRequest(path: "/detokenize", body: #"{"tokens": "1 2"}"#, param: "tokens", messageContains: "array"),
    ]

    @Test(arguments: cases) func rejected(_ bad: RejectedRequest) async throws {
        try await bad.expectRejected()
    }

    @Test func theApiKeyGuardsThemAsItGuardsV1() async throws {
        let server = try await TestServers.keyed.value
        let refused = try await server.post("/tokenize", ["prompt": "a"])
        #expect(refused.status == 401)
        let allowed = try await server.post("/detokenize", ["tokens": [1]], headers: ["Authorization": "Bearer sekret"])
        #expect(allowed.status == 200, "\(allowed.text)")
    }
}
