import Foundation
import Testing

/// `POST /v1/completions` on a real server: the legacy shape, echo with prompt log-probabilities
/// (what lm-evaluation-harness reads), prompt lists and token ids, vLLM's `prompt_logprobs`,
/// streaming, and every bad input a 400 naming its field.
@Suite(.serialized) struct CompletionsTests {
    static let text = "The capital of France is Paris, and the capital of Italy is"

    static func choices(_ json: [String: Any]) throws -> [[String: Any]] {
        try #require(json["choices"] as? [[String: Any]], "no choices in \(json)")
    }

    static func logprobs(_ choice: [String: Any]) throws -> [String: Any] {
        try #require(choice["logprobs"] as? [String: Any], "no logprobs in \(choice)")
    }

    /// The first token's entry of an echoed prompt is null (vLLM's and OpenAI's shape).
    static func tokenLogprobs(_ logprobs: [String: Any]) throws -> [Double?] {
        try #require(logprobs["token_logprobs"] as? [Any]).map { $0 as? Double }
    }

    @Test func echoWithoutGenerationGivesEveryPromptTokensLogprob() async throws {
        let server = try await TestServers.completions.value
        let reply = try await server.post(
            "/v1/completions", ["model": TestServers.servedName, "prompt": Self.text, "max_tokens": 0, "echo": true, "logprobs": 1])
        #expect(reply.status == 200, "\(reply.text)")
        let json = try reply.json()
        #expect((json["id"] as? String)?.hasPrefix("cmpl-") == true)
        #expect(json["object"] as? String == "text_completion")
        let choice = try #require(try Self.choices(json).first)
        #expect(choice["text"] as? String == Self.text)
        #expect(choice["finish_reason"] as? String == "length")
        let usage = try #require(json["usage"] as? [String: Int])
        #expect(usage["completion_tokens"] == 0)
        let logprobs = try Self.logprobs(choice)
        let tokens = try #require(logprobs["tokens"] as? [String])
        #expect(tokens.count == usage["prompt_tokens"])
        #expect(tokens.joined() == Self.text)
        let values = try Self.tokenLogprobs(logprobs)
        #expect(values.count == tokens.count)
        #expect(values.first! == nil)
        #expect(values.dropFirst().allSatisfy { ($0 ?? 1) <= 0 })
        let top = try #require(logprobs["top_logprobs"] as? [Any])
        #expect(top.first is NSNull)
        for (index, entry) in top.enumerated().dropFirst() {
            // The token itself and its likeliest alternative (one entry when they are the same).
            let map = try #require(entry as? [String: Double])
            #expect((1...2).contains(map.count))
            #expect(map[tokens[index]] == values[index])
        }
        // Offsets count the characters before each token.
        let offsets = try #require(logprobs["text_offset"] as? [Int])
        #expect(offsets == tokens.indices.map { tokens[..<$0].joined().unicodeScalars.count })
    }

    /// The prompt logprobs come from a prefill that computes every row's logits; a continuation
    /// echoed back as prompt gets the log-probabilities it was sampled with (decode path) within
    /// the noise of batched against single-row arithmetic.
    @Test func echoedContinuationKeepsTheLogprobsItWasGeneratedWith() async throws {
        let server = try await TestServers.completions.value
        let generated = try await server.post(
            "/v1/completions", ["prompt": Self.text, "max_tokens": 6, "temperature": 0, "logprobs": 0]).json()
        let choice = try #require(try Self.choices(generated).first)
        let continuation = try #require(choice["text"] as? String)
        let sampled = try Self.tokenLogprobs(try Self.logprobs(choice)).map { try #require($0) }
        try #require(sampled.count == 6)
        let echoed = try await server.post(
            "/v1/completions", ["prompt": Self.text + continuation, "max_tokens": 0, "echo": true, "logprobs": 0]).json()
        let values = try Self.tokenLogprobs(try Self.logprobs(try #require(try Self.choices(echoed).first)))
        // The continuation re-tokenizes as it was sampled when its tokens are whole words.
        try #require(values.count >= sampled.count)
        for (echoedValue, sampledValue) in zip(values.suffix(sampled.count), sampled) {
            #expect(abs(try #require(echoedValue) - sampledValue) < 0.02, "\(values.suffix(sampled.count)) vs \(sampled)")
        }
    }

    @Test func promptListsAndTokenIdsIndexChoicesPromptMajor() async throws {
        let server = try await TestServers.completions.value
        let ids = try #require(try await server.post("/tokenize", ["prompt": Self.text]).json()["tokens"] as? [Int])
        let body: [String: Any] = ["prompt": [ids, Array(ids.prefix(4))], "n": 2, "max_tokens": 3, "temperature": 0]
        let json = try await server.post("/v1/completions", body).json()
        let choices = try Self.choices(json)
        #expect(choices.map { $0["index"] as? Int } == [0, 1, 2, 3])
        let usage = try #require(json["usage"] as? [String: Int])
        #expect(usage["prompt_tokens"] == ids.count + 4)
        #expect(usage["completion_tokens"] == 12)
        // Greedy: both choices of a prompt agree; the text prompt and its ids complete alike.
        #expect(choices[0]["text"] as? String == choices[1]["text"] as? String)
        let fromText = try await server.post("/v1/completions", ["prompt": [Self.text], "max_tokens": 3, "temperature": 0]).json()
        #expect(try Self.choices(fromText).first?["text"] as? String == choices[0]["text"] as? String)
    }

    @Test func promptLogprobsHaveVLLMsShape() async throws {
        let server = try await TestServers.completions.value
        let json = try await server.post("/v1/completions", ["prompt": Self.text, "max_tokens": 1, "prompt_logprobs": 2]).json()
        let choice = try #require(try Self.choices(json).first)
        #expect(choice["logprobs"] is NSNull)
        let positions = try #require(choice["prompt_logprobs"] as? [Any])
        #expect(positions.count == (json["usage"] as? [String: Int])?["prompt_tokens"])
        #expect(positions.first is NSNull)
        let ids = try #require(try await server.post("/tokenize", ["prompt": Self.text]).json()["tokens"] as? [Int])
        for (index, position) in positions.enumerated().dropFirst() {
            let map = try #require(position as? [String: [String: Any]])
            let own = try #require(map[String(ids[index])], "position \(index) lacks its own token")
            let rank = try #require(own["rank"] as? Int)
            #expect(rank >= 1)
            #expect(own["decoded_token"] is String)
            #expect((2...3).contains(map.count))
            // The alternatives are ranks 1 and 2; the prompt's token is one of them or below both.
            let ranks = Set(map.values.compactMap { $0["rank"] as? Int })
            #expect(ranks.isSuperset(of: [1, 2]))
            let best = map.values.compactMap { $0["logprob"] as? Double }.max()
            #expect(rank == 1 ? own["logprob"] as? Double == best : true)
        }
    }

    @Test func streamEchoesThePromptThenSendsTheTextAndUsage() async throws {
        let server = try await TestServers.completions.value
        let body: [String: Any] = ["prompt": Self.text, "max_tokens": 5, "temperature": 0, "echo": true, "logprobs": 0]
        let whole = try await server.post("/v1/completions", body).json()
        let expected = try #require(try Self.choices(whole).first?["text"] as? String)
        let reply = try await server.post(
            "/v1/completions", body.merging(["stream": true, "stream_options": ["include_usage": true]]) { $1 })
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let chunks = try StreamingTests.chunks(reply)
        #expect(chunks.allSatisfy { $0["object"] as? String == "text_completion" })
        #expect(Set(chunks.compactMap { $0["id"] as? String }).count == 1)
        let pieces = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first }
        #expect(pieces.first?["text"] as? String == Self.text)
        #expect(pieces.compactMap { $0["text"] as? String }.joined() == expected)
        #expect(pieces.compactMap { $0["finish_reason"] as? String } == ["length"])
        let streamedTokens = pieces.compactMap { ($0["logprobs"] as? [String: Any])?["tokens"] as? [String] }.flatMap { $0 }
        let wholeChoice = try #require(try Self.choices(whole).first)
        let wholeTokens = try #require(try Self.logprobs(wholeChoice)["tokens"] as? [String])
        #expect(streamedTokens == wholeTokens)
        let usage = try #require(chunks.last?["usage"] as? [String: Int])
        #expect(usage["completion_tokens"] == 5)
    }

    /// A list of prompts streams as the prompts generate, side by side on the scheduler: the
    /// second prompt's text starts before the first one's ends (it waited for the whole first
    /// prompt before), and each choice's chunks, put together, are its whole answer.
    @Test func promptsOfOneStreamInterleave() async throws {
        let server = try await TestServers.completions.value
        let body: [String: Any] = [
            "prompt": ["Count: 1, 2, 3,", "The alphabet: A, B, C,"], "max_tokens": 8, "temperature": 0,
            "logit_bias": ["0": -100, "2": -100],
        ]
        let whole = try Self.choices(try await server.post("/v1/completions", body).json())
        let reply = try await server.post("/v1/completions", body.merging(["stream": true]) { $1 })
        let pieces = try StreamingTests.chunks(reply).compactMap { ($0["choices"] as? [[String: Any]])?.first }
        let indices = pieces.map { $0["index"] as? Int }
        let firstOfSecond = try #require(indices.firstIndex(of: 1))
        let endOfFirst = try #require(pieces.firstIndex { $0["index"] as? Int == 0 && $0["finish_reason"] is String })
        #expect(firstOfSecond < endOfFirst, "\(indices)")
        for index in 0..<2 {
            let streamed = pieces.filter { $0["index"] as? Int == index }.compactMap { $0["text"] as? String }.joined()
            #expect(streamed == whole[index]["text"] as? String)
        }
    }

    @Test func maxTokensDefaultsToSixteenAndNullMeansTheContext() async throws {
        let server = try await TestServers.shortContext.value
        let bounded = try await server.post("/v1/completions", ["prompt": "Count: 1, 2, 3,", "temperature": 0, "logit_bias": ["0": -100, "2": -100]]).json()
        #expect((bounded["usage"] as? [String: Int])?["completion_tokens"] == 16)
        let open = try await server.post(
            "/v1/completions", ["prompt": "Count: 1, 2, 3,", "temperature": 0, "max_tokens": NSNull(), "logit_bias": ["0": -100, "2": -100]]).json()
        let usage = try #require(open["usage"] as? [String: Int])
        #expect(usage["total_tokens"] == 96, "runs to the 96-token context: \(usage)")
    }

    /// A prompt read for its log-probabilities is kept in the prefix cache: the same prompt
    /// without them takes its prefix from there.
    @Test func promptLogprobsRequestsFeedThePrefixCache() async throws {
        let server = try await TestServers.completions.value
        let prompt = "A list of prime numbers: 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31 and \(UUID().uuidString)"
        _ = try await server.post("/v1/completions", ["prompt": prompt, "max_tokens": 0, "echo": true, "logprobs": 0])
        let before = server.server.scheduler!.stats.reusedPromptTokens
        _ = try await server.post("/v1/completions", ["prompt": prompt, "max_tokens": 1])
        try await server.waitFor(seconds: 10) { $0.reusedPromptTokens - before >= 20 }
    }

    /// A client that hangs up cancels the generations of every prompt of its request, the one
    /// being read and the ones still queued behind it, and their cache is freed.
    @Test func aClientHangingUpCancelsEveryPrompt() async throws {
        let server = try await TestServers.start(try await TestServers.configuration { $0.maxNumSeqs = 4 })
        let connection = try LoopbackHTTP.Connection(port: server.port)
        let body: [String: Any] = [
            "prompt": ["Write a long story about a lighthouse keeper.", "Write a long poem about the sea."], "max_tokens": 4000,
            "temperature": 1.0, "seed": 3, "logit_bias": ["0": -100, "1": -100, "2": -100],
        ]
        try connection.send(
            method: "POST", path: "/v1/completions", headers: ["Content-Type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: body))
        try await server.waitFor { $0.runningSequences == 2 }
        connection.close()
        try await server.waitFor { $0.runningSequences == 0 && $0.cachedSequences == 0 }
    }

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let body: String
        let param: String
        let messageContains: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no prompt", body: #"{"max_tokens": 1}"#, param: "prompt", messageContains: "no `prompt`"),
        Case(name: "prompt a number", body: #"{"prompt": 5}"#, param: "prompt", messageContains: "found a number"),
        Case(name: "empty prompt list", body: #"{"prompt": []}"#, param: "prompt", messageContains: "empty list"),
        Case(name: "empty token list", body: #"{"prompt": [[]]}"#, param: "prompt", messageContains: "`prompt[0]` is an empty list"),
        Case(name: "mixed prompt list", body: #"{"prompt": ["a", [1]]}"#, param: "prompt", messageContains: "`prompt[1]` must be a string"),
        Case(name: "negative token id", body: #"{"prompt": [1, -3]}"#, param: "prompt", messageContains: "`prompt[1]`"),
        Case(name: "token id outside the vocabulary", body: #"{"prompt": [[1], [1, 99999999]]}"#, param: "prompt",
             messageContains: "`prompt[1][1]` = 99999999 is not a token id"),
        Case(name: "empty text", body: #"{"prompt": ""}"#, param: "prompt", messageContains: "no tokens"),
        Case(name: "max_tokens 0 without echo", body: #"{"prompt": "a", "max_tokens": 0}"#, param: "max_tokens", messageContains: "echo"),
        Case(name: "negative max_tokens", body: #"{"prompt": "a", "max_tokens": -1, "echo": true}"#, param: "max_tokens",
             messageContains: "out of range"),
        Case(name: "logprobs above 20", body: #"{"prompt": "a", "logprobs": 21}"#, param: "logprobs", messageContains: "[0, 20]"),
        Case(name: "logprobs a boolean", body: #"{"prompt": "a", "logprobs": true}"#, param: "logprobs", messageContains: "integer"),
        Case(name: "prompt_logprobs negative", body: #"{"prompt": "a", "prompt_logprobs": -1}"#, param: "prompt_logprobs",
             messageContains: "[0, 20]"),
        Case(name: "prompt_logprobs with stream", body: #"{"prompt": "a", "prompt_logprobs": 1, "stream": true}"#,
             param: "prompt_logprobs", messageContains: "stream"),
        Case(name: "stream_options without stream", body: #"{"prompt": "a", "stream_options": {"include_usage": true}}"#,
             param: "stream_options", messageContains: "stream"),
        Case(name: "echo a string", body: #"{"prompt": "a", "echo": "yes"}"#, param: "echo", messageContains: "boolean"),
        Case(name: "n zero", body: #"{"prompt": "a", "n": 0}"#, param: "n", messageContains: ">= 1"),
        Case(name: "n beyond the running sequences", body: #"{"prompt": "a", "n": 1000}"#, param: "n", messageContains: "--max-num-seqs"),
        Case(name: "top_p zero", body: #"{"prompt": "a", "top_p": 0}"#, param: "top_p", messageContains: "(0, 1]"),
        Case(name: "logit_bias outside the vocabulary", body: #"{"prompt": "a", "logit_bias": {"99999999": 1}}"#, param: "logit_bias",
             messageContains: "vocabulary"),
        Case(name: "stop token outside the vocabulary", body: #"{"prompt": "a", "stop_token_ids": [99999999]}"#, param: "stop_token_ids",
             messageContains: "vocabulary"),
        Case(name: "max_tokens beyond the context", body: #"{"prompt": "a", "max_tokens": 99999999}"#, param: "max_tokens",
             messageContains: "is too large"),
    ]

    @Test(arguments: cases) func rejected(_ bad: Case) async throws {
        let server = try await TestServers.completions.value
        let reply = try await LoopbackHTTP.post(port: server.port, path: "/v1/completions", raw: bad.body)
        try BadRequestTests.expectError(reply, status: 400, param: bad.param, contains: bad.messageContains)
    }

    @Test func promptLongerThanTheContextIsRefusedNamingThePrompt() async throws {
        let server = try await TestServers.shortContext.value
        let reply = try await server.post("/v1/completions", ["prompt": String(repeating: "word ", count: 200)])
        try BadRequestTests.expectError(
            reply, status: 400, param: "prompt", contains: "This model's maximum context length is 96 tokens. However, your request has")
        #expect(reply.text.contains("input prompt"))
    }

    @Test func unknownModelIsNotFound() async throws {
        let server = try await TestServers.completions.value
        let reply = try await server.post("/v1/completions", ["prompt": "a", "model": "gpt-17"])
        try BadRequestTests.expectError(reply, status: 404, param: "model", contains: "gpt-17")
    }
}
