import Foundation
import Testing

/// Every bad request is a 4xx with the OpenAI error body naming the field; none is a 500.
@Suite struct BadRequestTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let body: String
        let status: Int
        let param: String?
        let messageContains: String
        var description: String { name }
    }

    static let chat = #""messages": [{"role": "user", "content": "hi"}]"#

    static let cases: [Case] = [
        Case(name: "malformed JSON", body: #"{"messages": [}"#, status: 400, param: nil, messageContains: "not valid JSON"),
        Case(name: "not an object", body: "[1, 2]", status: 400, param: nil, messageContains: "JSON object"),
        Case(name: "missing messages", body: #"{"model": "x"}"#.replacingOccurrences(of: "\"x\"", with: "\"\(TestServers.servedName)\""),
             status: 400, param: "messages", messageContains: "messages"),
        Case(name: "messages not a list", body: #"{"messages": "hi"}"#, status: 400, param: "messages", messageContains: "array"),
        Case(name: "message without role", body: #"{"messages": [{"content": "hi"}]}"#, status: 400, param: "messages", messageContains: "messages[0]"),
        Case(name: "content of wrong type", body: #"{"messages": [{"role": "user", "content": 5}]}"#, status: 400, param: "messages",
             messageContains: "messages[0].content"),
        Case(name: "temperature a string", body: "{\(chat), \"temperature\": \"hot\"}", status: 400, param: "temperature", messageContains: "number"),
        Case(name: "negative temperature", body: "{\(chat), \"temperature\": -1}", status: 400, param: "temperature", messageContains: ">= 0"),
        Case(name: "top_p zero", body: "{\(chat), \"top_p\": 0}", status: 400, param: "top_p", messageContains: "(0, 1]"),
        Case(name: "top_p above one", body: "{\(chat), \"top_p\": 1.5}", status: 400, param: "top_p", messageContains: "(0, 1]"),
        Case(name: "n zero", body: "{\(chat), \"n\": 0}", status: 400, param: "n", messageContains: ">= 1"),
        Case(name: "a tool that is not an object", body: "{\(chat), \"tools\": [null]}", status: 400, param: "tools",
             messageContains: "`tools[0]` must be an object"),
        Case(name: "n fractional", body: "{\(chat), \"n\": 1.5}", status: 400, param: "n", messageContains: "integer"),
        Case(name: "max_tokens zero", body: "{\(chat), \"max_tokens\": 0}", status: 400, param: "max_tokens", messageContains: ">= 1"),
        Case(name: "stream_options without stream", body: "{\(chat), \"stream_options\": {\"include_usage\": true}}", status: 400,
             param: "stream_options", messageContains: "stream"),
        Case(name: "top_logprobs without logprobs", body: "{\(chat), \"top_logprobs\": 2}", status: 400, param: "top_logprobs",
             messageContains: "logprobs"),
        Case(name: "stop of wrong type", body: "{\(chat), \"stop\": 3}", status: 400, param: "stop", messageContains: "string"),
        Case(name: "stop token outside the vocabulary", body: "{\(chat), \"stop_token_ids\": [99999999]}", status: 400,
             param: "stop_token_ids", messageContains: "vocabulary"),
        Case(name: "logit_bias key not a token id", body: "{\(chat), \"logit_bias\": {\"hello\": 1}}", status: 400,
             param: "logit_bias", messageContains: "hello"),
        Case(name: "logit_bias out of range", body: "{\(chat), \"logit_bias\": {\"5\": 150}}", status: 400,
             param: "logit_bias", messageContains: "[-100, 100]"),
        Case(name: "logit_bias token outside the vocabulary", body: "{\(chat), \"logit_bias\": {\"99999999\": -100}}", status: 400,
             param: "logit_bias", messageContains: "vocabulary"),
        Case(name: "unknown model", body: "{\(chat), \"model\": \"gpt-17\"}", status: 404, param: "model",
             messageContains: "The model `gpt-17` does not exist."),
        Case(name: "template error", body: "{\(chat), \"chat_template_kwargs\": {\"messages\": []}}", status: 400, param: "messages",
             messageContains: "template"),
        Case(name: "GenRM protocol: response_2 before response_1",
             body: #"{"messages": [{"role": "user", "content": "q"}, {"role": "response_2", "content": "a"}, {"role": "response_1", "content": "b"}]}"#,
             status: 400, param: "messages", messageContains: "message 1"),
        Case(name: "GenRM protocol: history ends with assistant",
             body: #"{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}, {"role": "response_1", "content": "b"}]}"#,
             status: 400, param: "messages", messageContains: "user"),
        Case(name: "GenRM judging with stop", body: #"{"stop": ["x"], "messages": [{"role": "user", "content": "q"}, {"role": "response_1", "content": "b"}]}"#,
             status: 400, param: "stop", messageContains: "structured"),
    ]

    @Test(arguments: cases) func rejected(_ bad: Case) async throws {
        let server = try await TestServers.standard.value
        let reply = try await LoopbackHTTP.post(port: server.port, path: "/v1/chat/completions", raw: bad.body)
        try Self.expectError(reply, status: bad.status, param: bad.param, contains: bad.messageContains)
    }

    @Test func unknownFieldsAreIgnored() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["frobnicate": true, "max_tokens": 2]))
        #expect(reply.status == 200)
    }

    @Test func promptLongerThanTheContextIsRefusedInVLLMWords() async throws {
        let server = try await TestServers.shortContext.value
        let long = String(repeating: "word ", count: 200)
        let reply = try await server.post("/v1/chat/completions", ["messages": [["role": "user", "content": long]]])
        try Self.expectError(reply, status: 400, param: "messages", contains: "This model's maximum context length is 96 tokens. However, your request has")
    }

    @Test func maxTokensBeyondTheContextIsRefusedInVLLMWords() async throws {
        let server = try await TestServers.shortContext.value
        let reply = try await server.post("/v1/chat/completions", ["messages": [["role": "user", "content": "hi"]], "max_completion_tokens": 500])
        try Self.expectError(reply, status: 400, param: "max_completion_tokens", contains: "'max_tokens' or 'max_completion_tokens' is too large: 500.")
    }

    @Test func unknownRouteIsAnOpenAIError() async throws {
        let server = try await TestServers.standard.value
        try Self.expectError(try await server.get("/v1/nothing"), status: 404, param: nil, contains: "route")
    }

    /// A body whose HTTP framing is broken is the client's error, 400 in the OpenAI shape, never
    /// a 500 blamed on the engine (chunk sizes that are not hex or overflow, a chunk without its
    /// CRLF, a transfer coding the server does not take).
    @Test(arguments: [
        "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
        "Transfer-Encoding: gzip\r\n\r\n{}",
    ])
    func brokenBodyFramingIs400(_ tail: String) async throws {
        let server = try await TestServers.standard.value
        let raw = try await LoopbackHTTP.onThread {
            let connection = try LoopbackHTTP.Connection(port: server.port)
            defer { connection.close() }
            let head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            try connection.write(Data((head + tail).utf8))
            return connection.readToEnd()
        }
        // On a loaded machine the parser can fail before the request reaches a handler; the
        // connection is then closed without an answer (Hummingbird's own path). Never a 500.
        guard !raw.isEmpty else { return }
        let reply = try LoopbackHTTP.parse(raw)
        #expect(reply.status == 400, "\(tail.debugDescription): \(reply.status) \(reply.text)")
        if reply.status == 400, !reply.body.isEmpty {
            try Self.expectError(reply, status: 400, param: nil, contains: "malformed HTTP request")
        }
    }

    /// A known route asked with the wrong method is 405 with `Allow`, in the OpenAI error shape
    /// (it was 404 "no such route", and POST /health an empty 404).
    @Test func aKnownRouteWithTheWrongMethodIs405() async throws {
        let server = try await TestServers.standard.value
        let judge = try await server.get("/v1/judge")
        try Self.expectError(judge, status: 405, param: nil, contains: "/v1/judge takes POST, not GET")
        #expect(judge.headers["allow"] == "POST")
        let health = try await LoopbackHTTP.request(port: server.port, method: "POST", path: "/health", body: Data("{}".utf8))
        try Self.expectError(health, status: 405, param: nil, contains: "/health takes GET, not POST")
        #expect(health.headers["allow"] == "GET")
        try Self.expectError(try await LoopbackHTTP.request(port: server.port, method: "DELETE", path: "/v1/models"),
                             status: 405, param: nil, contains: "takes GET")
    }

    @Test func judgeEndpointNamesItsFields() async throws {
        let server = try await TestServers.standard.value
        try Self.expectError(try await server.post("/v1/judge", ["messages": Bodies.oneResponse, "votes": 0]), status: 400, param: "votes", contains: ">= 1")
        try Self.expectError(try await server.post("/v1/judge", ["messages": Bodies.oneResponse, "swap": true]), status: 400, param: "swap", contains: "two responses")
        try Self.expectError(try await server.post("/v1/judge", ["history": [["role": "user", "content": "q"]], "responses": []]), status: 400,
                             param: "responses", contains: "one or two")
        // The schema says a list: one string is refused, not judged as the response "ab".
        try Self.expectError(try await server.post("/v1/judge", ["history": [["role": "user", "content": "q"]], "responses": "ab"]), status: 400,
                             param: "responses", contains: "must be an array, found a string")
        try Self.expectError(try await server.post("/v1/judge", ["messages": Bodies.oneResponse, "reasoning_tokens": -1]), status: 400,
                             param: "reasoning_tokens", contains: ">= 0")
        // More votes than the server decodes at once (--max-num-seqs 8): the refusal names `votes`.
        try Self.expectError(try await server.post("/v1/judge", ["messages": Bodies.oneResponse, "votes": 9]), status: 400,
                             param: "votes", contains: "votes = 9 is out of range: this judge runs at most 8 votes at once")
    }

    static func expectError(_ reply: LoopbackHTTP.Reply, status: Int, param: String?, contains text: String) throws {
        #expect(reply.status == status, "\(reply.text)")
        let error = try #require(try reply.json()["error"] as? [String: Any], "\(reply.text)")
        let message = try #require(error["message"] as? String)
        #expect(message.contains(text), "\(message)")
        #expect(error["code"] as? Int == status)
        #expect(error["type"] is String)
        if let param { #expect(error["param"] as? String == param, "\(reply.text)") } else { #expect(error["param"] is NSNull) }
    }
}
