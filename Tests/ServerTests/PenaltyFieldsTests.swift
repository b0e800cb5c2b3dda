import Engine
import Foundation
import GenRM
import Testing

/// vLLM's `presence_penalty`, `frequency_penalty`, `repetition_penalty` and `min_tokens` over HTTP.
/// Each greedy answer of a real server is held against a greedy decode of the same model run here,
/// step by step, with vLLM's rules written out in the test (the obvious twin of the engine's
/// `TokenHistory`); bad values are 400s naming the field.
@Suite struct PenaltyFieldsTests {
    struct Penalties: Sendable, CustomStringConvertible {
        var prompt = "The cat sat on the mat. The cat sat on the mat. The cat"
        var presence: Float = 0
        var frequency: Float = 0
        var repetition: Float = 1
        var minTokens = 0

        var fields: [String: Any] {
            ["presence_penalty": Double(presence), "frequency_penalty": Double(frequency), "repetition_penalty": Double(repetition),
             "min_tokens": minTokens]
        }

        var description: String { "presence \(presence), frequency \(frequency), repetition \(repetition), min_tokens \(minTokens)" }
    }

    /// vLLM's rules on one step's raw logits: stop tokens barred under `min_tokens`; the repetition
    /// penalty on prompt and output tokens (a positive logit divided, any other multiplied); then
    /// frequency (per occurrence) and presence (once) on output tokens only.
    static func penalized(_ raw: [Float], prompt: [Int], output: [Int], _ p: Penalties, stops: Set<Int>) -> [Float] {
        var logits = raw
        if output.count < p.minTokens { for token in stops { logits[token] = -.infinity } }
        for token in Set(prompt).union(output) {
            logits[token] = logits[token] > 0 ? logits[token] / p.repetition : logits[token] * p.repetition
        }
        var counts: [Int: Int] = [:]
        for token in output { counts[token, default: 0] += 1 }
        for (token, count) in counts { logits[token] -= p.frequency * Float(count) + p.presence }
        return logits
    }

    /// The greedy tokens after `prompt` under `p`, at most `steps`, a stop token included.
    static func greedy(_ prompt: [Int], steps: Int, _ p: Penalties) async throws -> [Int] {
        let model = try await TestServers.model.value
        let stops = Set(model.tokenizer.eosIds)
        let session = InferenceSession(model: model.network)
        try session.prefill(prompt)
        var output: [Int] = []
        while output.count < steps {
            let logits = penalized(session.logits, prompt: prompt, output: output, p, stops: stops)
            let token = try #require(logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) })
            output.append(token)
            if stops.contains(token) { break }
            try session.append(token)
        }
        return output
    }

    static func text(_ ids: [Int]) async throws -> String {
        let model = try await TestServers.model.value
        return try model.tokenizer.decode(ids.filter { !model.tokenizer.eosIds.contains($0) }, skipSpecialTokens: true)
    }

    static let cases: [Penalties] = [
        Penalties(frequency: 1.0), Penalties(presence: 1.5), Penalties(repetition: 1.3),
        Penalties(presence: -0.5, frequency: 0.4, repetition: 1.1),
        Penalties(prompt: "Once upon a time, in a small village by the sea,", repetition: 0.8),
    ]

    @Test(arguments: cases) func greedyCompletionFollowsVLLMsRules(_ p: Penalties) async throws {
        let server = try await TestServers.completions.value
        let model = try await TestServers.model.value
        let prompt = model.encodeRawPrompt(p.prompt, parseSpecial: true)
        let expected = try await Self.greedy(prompt, steps: 20, p)
        let plain = try await Self.greedy(prompt, steps: 20, Penalties())
        #expect(expected != plain, "the penalty changes the greedy text, so the comparison means something")
        var body: [String: Any] = ["prompt": p.prompt, "max_tokens": 20, "temperature": 0]
        body.merge(p.fields) { $1 }
        let reply = try await server.post("/v1/completions", body)
        let choice = try #require((try reply.json()["choices"] as? [[String: Any]])?.first, "\(reply.text)")
        #expect(choice["text"] as? String == (try await Self.text(expected)), "\(p)")
    }

    /// Chat completions apply them to the rendered conversation (`/tokenize` gives its ids).
    @Test func chatCompletionFollowsVLLMsRules() async throws {
        let server = try await TestServers.completions.value
        let messages = [["role": "user", "content": "Repeat after me five times: red, red, red, red, red."]]
        let ids = try #require(try await server.post("/tokenize", ["messages": messages]).json()["tokens"] as? [Int])
        let p = Penalties(presence: 0.8, frequency: 0.5, repetition: 1.2)
        let expected = try await Self.greedy(ids, steps: 24, p)
        #expect(expected != (try await Self.greedy(ids, steps: 24, Penalties())))
        var body: [String: Any] = ["messages": messages, "max_tokens": 24, "temperature": 0]
        body.merge(p.fields) { $1 }
        let reply = try await server.post("/v1/chat/completions", body)
        let choice = try #require((try reply.json()["choices"] as? [[String: Any]])?.first, "\(reply.text)")
        #expect((choice["message"] as? [String: Any])?["content"] as? String == (try await Self.text(expected)))
    }

    /// `min_tokens` bars the end of turn: an answer that would end at once runs on.
    @Test func minTokensKeepsTheTurnOpen() async throws {
        let server = try await TestServers.completions.value
        let model = try await TestServers.model.value
        let promptText = "<|im_start|>user\nSay yes.<|im_end|>\n<|im_start|>assistant\nYes."
        let prompt = model.encodeRawPrompt(promptText, parseSpecial: true)
        let free = try await Self.greedy(prompt, steps: 12, Penalties())
        try #require(free.count < 6, "greedy ends the turn early without min_tokens: \(free)")
        let held = try await Self.greedy(prompt, steps: 12, Penalties(minTokens: 6))
        let reply = try await server.post("/v1/completions", ["prompt": promptText, "max_tokens": 12, "temperature": 0, "min_tokens": 6]).json()
        let choice = try #require((reply["choices"] as? [[String: Any]])?.first)
        let usage = try #require(reply["usage"] as? [String: Int])
        #expect(try #require(usage["completion_tokens"]) >= 6)
        #expect(usage["completion_tokens"] == held.count)
        #expect(choice["text"] as? String == (try await Self.text(held)))
    }

    /// Stop strings end the text only where tokens after the first `min_tokens` complete them
    /// (vLLM checks stop strings once more than `min_tokens` tokens were generated).
    @Test func minTokensDefersStopStrings() async throws {
        let server = try await TestServers.completions.value
        let model = try await TestServers.model.value
        let promptText = "Colors: red, green, blue, yellow, purple, orange, pink, brown, black, white,"
        let prompt = model.encodeRawPrompt(promptText, parseSpecial: true)
        let tokens = try await Self.greedy(prompt, steps: 16, Penalties())
        let full = try await Self.text(tokens)
        let floor = try await Self.text(Array(tokens.prefix(4))).count
        let firstComma = try #require(full.firstIndex(of: ","), "greedy writes commas: \(full)")
        try #require(full.distance(from: full.startIndex, to: firstComma) < floor, "a comma falls within the first 4 tokens: \(full)")
        let later = try #require(full.indices.first { full.distance(from: full.startIndex, to: $0) + 1 > floor && full[$0] == "," })
        for (minTokens, expected) in [(0, String(full[..<firstComma])), (4, String(full[..<later]))] {
            let reply = try await server.post(
                "/v1/completions", ["prompt": promptText, "max_tokens": 16, "temperature": 0, "stop": [","], "min_tokens": minTokens]).json()
            let choice = try #require((reply["choices"] as? [[String: Any]])?.first)
            #expect(choice["text"] as? String == expected, "min_tokens \(minTokens)")
            #expect(choice["finish_reason"] as? String == "stop")
        }
    }

    static let badValues: [RejectedRequest] = ["/v1/completions", "/v1/chat/completions"].flatMap { path -> [RejectedRequest] in
        let head = path == "/v1/completions" ? #""prompt": "a""# : #""messages": [{"role": "user", "content": "a"}]"#
        return [
            RejectedRequest(path: path, body: "{\(head), \"presence_penalty\": 2.5}", param: "presence_penalty", messageContains: "must be in [-2, 2]"),
            RejectedRequest(path: path, body: "{\(head), \"frequency_penalty\": -2.01}", param: "frequency_penalty", messageContains: "must be in [-2, 2]"),
            RejectedRequest(path: path, body: "{\(head), \"repetition_penalty\": 0}", param: "repetition_penalty", messageContains: "must be in (0, 2]"),
            RejectedRequest(path: path, body: "{\(head), \"repetition_penalty\": 2.5}", param: "repetition_penalty", messageContains: "must be in (0, 2]"),
            RejectedRequest(path: path, body: "{\(head), \"repetition_penalty\": \"high\"}", param: "repetition_penalty", messageContains: "number"),
            RejectedRequest(path: path, body: "{\(head), \"min_tokens\": -1}", param: "min_tokens", messageContains: "must be >= 0"),
            RejectedRequest(path: path, body: "{\(head), \"min_tokens\": 1.5}", param: "min_tokens", messageContains: "integer"),
            RejectedRequest(path: path, body: "{\(head), \"min_tokens\": 5, \"max_tokens\": 4}", param: "min_tokens", messageContains: "<= `max_tokens` (4)"),
        ]
    } + [
        RejectedRequest(path: "/v1/chat/completions", body: #"{"messages": [{"role": "user", "content": "a"}], "min_tokens": 5, "max_completion_tokens": 3}"#,
             param: "min_tokens", messageContains: "<= `max_completion_tokens` (3)"),
        RejectedRequest(path: "/v1/completions", body: #"{"prompt": "a", "echo": true, "max_tokens": 0, "min_tokens": 1}"#, param: "min_tokens",
             messageContains: "<= `max_tokens` (0)"),
    ]

    @Test(arguments: badValues) func rejected(_ bad: RejectedRequest) async throws {
        try await bad.expectRejected()
    }
}
