import ChatTemplates
import Foundation
import Testing
@testable import Server

/// Request fields that shape the prompt or the sampling beyond role/content: whole message
/// objects and `tools` reach the chat template (here one given with `--chat-template` that
/// refuses what it does not get), and `logit_bias` moves the sampler.
@Suite struct ChatRequestFieldsTests {
    /// ChatML that insists on a `name` for every user message and on `tools`.
    static let demandingTemplate = """
        {% for m in messages %}{% if m.role == 'user' and not m.name %}{{ raise_exception('user message ' ~ loop.index0 ~ ' has no name') }}{% endif %}\
        <|im_start|>{{ m.role }} {{ m.name }}
        {{ m.content }}<|im_end|>
        {% endfor %}{% if not tools %}{{ raise_exception('no tools given') }}{% endif %}\
        {% if add_generation_prompt %}<|im_start|>assistant
        {% endif %}
        """

    static let demanding: Task<RunningServer, any Error> = Task {
        try await TestServers.start(try await TestServers.configuration {
            $0.chatTemplate = (try! ChatTemplate(source: demandingTemplate), "demanding.jinja")
        })
    }

    static var tools: [[String: Any]] { [["type": "function", "function": ["name": "lookup", "parameters": ["type": "object"]]]] }

    @Test func messageKeysAndToolsReachTheGivenTemplate() async throws {
        let server = try await Self.demanding.value
        let named: [String: Any] = ["role": "user", "name": "ann", "content": [["type": "text", "text": "Name a colour."]]]
        let ok = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["messages": [named], "tools": Self.tools]))
        #expect(ok.status == 200, "\(ok.text)")

        let unnamed = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["tools": Self.tools]))
        try BadRequestTests.expectError(unnamed, status: 400, param: "messages", contains: "user message 0 has no name")
        let toolless = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["messages": [named]]))
        try BadRequestTests.expectError(toolless, status: 400, param: "messages", contains: "no tools given")
    }

    /// Null or absent content reaches the template as "" (vLLM's reading), never as a hole the
    /// template trips over (Schemathesis found `{"role": "", "content": null}` refused with
    /// "'dict object' has no attribute 'content'").
    @Test func nullOrAbsentContentIsEmptyText() async throws {
        let server = try await TestServers.standard.value
        for message in [["role": "", "content": NSNull()] as [String: Any], ["role": "user"], ["role": "user", "content": NSNull()]] {
            let reply = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["messages": [message], "max_tokens": 2]))
            #expect(reply.status == 200, "\(message): \(reply.text)")
        }
    }

    @Test func logitBiasForcesAToken() async throws {
        let server = try await TestServers.standard.value
        let model = try await TestServers.model.value
        let forced = try #require(model.tokenizer.encode(" lighthouse", parseSpecial: false).first)
        let reply = try await server.post(
            "/v1/chat/completions", Bodies.with(Bodies.chat, ["max_tokens": 3, "logit_bias": ["\(forced)": 100]]))
        #expect(reply.status == 200, "\(reply.text)")
        let choices = try #require(try reply.json()["choices"] as? [[String: Any]])
        let content = try #require((choices.first?["message"] as? [String: Any])?["content"] as? String)
        let expected = String(repeating: try model.tokenizer.decode([forced]), count: 3)
        #expect(content == expected)

    }
}
