import Foundation
import GenRM
import Remote
import Testing

/// `genrm serve`'s `/v1/completions` held against its peers, all real processes: llama.cpp's
/// server on the same GGUF (log-likelihoods of a committed set of prompts), `genrm generate`
/// (greedy continuations), the stock `openai` client, and a genrm pool judging over genrm servers
/// in `text` mode (which sends `/v1/completions`).
@Suite struct CompletionsAgainstPeersTests {
    static func prompts() throws -> [String] {
        let data = try Data(contentsOf: try RemoteFiles.fixture("loglik-prompts.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["prompts"] as? [String])
    }

    /// One prompt's per-token comparison.
    struct Agreement: CustomStringConvertible {
        var prompt: String
        /// genrm's and llama.cpp's log-probability of each compared token.
        var pairs: [(genrm: Double, llamaCpp: Double)] = []

        var signedPerToken: Double { pairs.reduce(0) { $0 + $1.genrm - $1.llamaCpp } / Double(max(1, pairs.count)) }
        var meanAbsolute: Double { pairs.reduce(0) { $0 + abs($1.genrm - $1.llamaCpp) } / Double(max(1, pairs.count)) }
        var worst: Double { pairs.map { abs($0.genrm - $0.llamaCpp) }.max() ?? 0 }

        var description: String {
            String(format: "%2d tokens, log-likelihood %+.4f nats/token, mean |d| %.4f, worst %.4f: %@", pairs.count, signedPerToken,
                   meanAbsolute, worst, String(prompt.prefix(40)))
        }
    }

    /// Echoed log-likelihoods (`echo: true, max_tokens: 0, logprobs: 1`, what lm-evaluation-harness
    /// sends) against llama.cpp's. llama-cpp-python 0.3 pairs each echoed token with the logits
    /// after it, not before, so its `token_logprobs` are shifted; its `top_logprobs` at position i
    /// are right for token i + 1, so it is asked for the whole vocabulary there and token i + 1 is
    /// looked up by its text (the second token, under a nulled first entry, and tokens spelled by
    /// several ids, whitespace, are left out). Both engines quantise activations to 8 bits their
    /// own way: llama.cpp against itself with an f32 instead of an f16 KV cache differs by a mean
    /// 0.070 nats per token on these prompts. So the rule: the set's log-likelihood within 0.05
    /// nats per token, each prompt's within 0.1, and the mean per-token difference under 0.1.
    @Test func echoedLogLikelihoodsAgreeWithLlamaCpp() async throws {
        let genrm = try await SharedBackends.pair.value[0]
        let llamaCpp = try await LlamaCppBackendTests.server.value
        var results: [Agreement] = []
        for prompt in try Self.prompts() {
            let ours = try await Self.logprobs(genrm.baseURL, ["prompt": prompt, "max_tokens": 0, "echo": true, "logprobs": 1])
            let theirs = try await Self.logprobs(
                llamaCpp.baseURL, ["prompt": prompt, "max_tokens": 1, "echo": true, "logprobs": 1 << 20, "temperature": 0])
            let ourTokens = try #require(ours["tokens"] as? [String])
            let theirTokens = try #require(theirs["tokens"] as? [String])
            let ourValues = try #require(ours["token_logprobs"] as? [Any])
            let theirTop = try #require(theirs["top_logprobs"] as? [Any])
            try #require(ourTokens.count == theirTokens.count, "tokenized apart: \(ourTokens) vs \(theirTokens)")
            var agreement = Agreement(prompt: prompt)
            for i in 2..<theirTokens.count {
                let text = theirTokens[i]
                if !text.isEmpty { #expect(ourTokens[i] == text) }
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, text != theirTokens[i - 1] else { continue }
                let reference = try #require((theirTop[i - 1] as? [String: Double])?[text], "llama.cpp lacks \(text) at \(i)")
                agreement.pairs.append((try #require(ourValues[i] as? Double), reference))
            }
            results.append(agreement)
        }
        let report = results.map(\.description).joined(separator: "\n")
        print(report)
        let all = results.flatMap(\.pairs)
        #expect(all.count >= 100, "\(report)")
        let setPerToken = all.reduce(0) { $0 + $1.genrm - $1.llamaCpp } / Double(all.count)
        let meanAbsolute = all.reduce(0) { $0 + abs($1.genrm - $1.llamaCpp) } / Double(all.count)
        print(String(format: "set: %d tokens, log-likelihood %+.4f nats/token, mean |d| %.4f", all.count, setPerToken, meanAbsolute))
        #expect(abs(setPerToken) <= 0.05, "\(report)")
        #expect(meanAbsolute < 0.1, "\(report)")
        for result in results { #expect(abs(result.signedPerToken) <= 0.1, "\(result)") }
    }

    static func logprobs(_ base: String, _ body: [String: Any]) async throws -> [String: Any] {
        let reply = try await RemoteHTTP.post(base + "/completions", body)
        try #require(reply.status == 200, "\(base): \(String(decoding: reply.body, as: UTF8.self).prefix(500))")
        let choice = try #require((try RemoteHTTP.json(reply)["choices"] as? [[String: Any]])?.first)
        return try #require(choice["logprobs"] as? [String: Any])
    }

    /// The greedy continuation through `/v1/completions` is `genrm generate`'s, special tokens in
    /// the prompt parsed alike.
    @Test(arguments: [
        "The capital of France is", "def fibonacci(n):", "<|im_start|>user\nName a fruit.<|im_end|>\n<|im_start|>assistant\n",
    ])
    func greedyContinuationEqualsGenerate(_ prompt: String) async throws {
        let genrm = try await SharedBackends.pair.value[0]
        let run = try await CLIRun.genrm(["generate", "--prompt", prompt, "--greedy", "--max-tokens", "24", "--threads", "1", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let reply = try await RemoteHTTP.post(genrm.baseURL + "/completions", ["prompt": prompt, "max_tokens": 24, "temperature": 0])
        let text = try #require((try RemoteHTTP.json(reply)["choices"] as? [[String: Any]])?.first?["text"] as? String)
        #expect(run.stdout == text + "\n")
    }

    @Test func openAIClientCompletesUnchangedStreamingIncluded() async throws {
        let genrm = try await SharedBackends.pair.value[0]
        let prompt = "The quick brown fox jumps over the lazy dog."
        let script = try RemoteFiles.fixture("openai_completions.py").path
        let python = TestPython.process([script, genrm.baseURL, RemoteFiles.servedName, prompt])
        let run = try await CLIRun.run(python.executable, python.arguments)
        try #require(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["echo_text"] as? String == prompt)
        let tokens = try #require(json["tokens"] as? [String])
        #expect(tokens.joined() == prompt)
        #expect(tokens.count == json["prompt_tokens"] as? Int)
        let values = try #require(json["token_logprobs"] as? [Any])
        #expect(values.first is NSNull)
        #expect(values.dropFirst().allSatisfy { ($0 as? Double ?? 1) <= 0 })
        let greedy = try #require(json["greedy_text"] as? String)
        #expect(!greedy.isEmpty)
        #expect(json["stream_text"] as? String == greedy)
        #expect(json["stream_finish"] as? String == json["greedy_finish"] as? String)
        #expect(json["stream_completion_tokens"] as? Int == 8)
    }

    /// A genrm pool over genrm servers in `text` mode: the rendered judging prompt goes to the
    /// servers' `/v1/completions`, and every vote comes back from it.
    @Test func poolJudgesOverGenrmServersInTextMode() async throws {
        let genrm = try await SharedBackends.pair.value[0]
        var configuration = PoolConfiguration(endpoints: [try BackendEndpoint(genrm.baseURL)])
        configuration.backoff = .milliseconds(50)
        let pool = try BackendPool(configuration)
        try await pool.waitUntilReady()
        let judge = Judge(backend: RemoteJudgeBackend(pool: pool, mode: .text), promptBuilder: try JudgePromptBuilder.bundled())
        let request = try JudgeRequest(json: Data(RemoteFiles.twoResponses.utf8))
        let result = try await judge.judge(request, votes: 2, settings: JudgeSettings(temperature: 0.7, topP: 0.95, seed: 5, maxTokens: 32))
        #expect(result.votes.count == 2)
        for vote in result.votes {
            #expect(vote.completion.promptTokens > 500, "the judging prompt reached the server")
            #expect((1...32).contains(vote.completion.completionTokens))
            #expect(vote.completion.backend == genrm.baseURL)
        }
        await pool.shutdown()
    }
}
