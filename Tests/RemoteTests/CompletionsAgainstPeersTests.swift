import Foundation
import GenRM
import Remote
import TestSupport
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

    /// One prompt of loglik-exact.json: its token ids and their exact log-probabilities (float64,
    /// weights as stored; scripts/golden_loglik_exact.py), the first null.
    struct ExactPrompt {
        var prompt: String
        var ids: [Int]
        var logprobs: [Double?]
    }

    static func exact() throws -> [ExactPrompt] {
        let data = try Data(contentsOf: try RemoteFiles.fixture("loglik-exact.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["prompts"] as? [[String: Any]]).map { entry in
            ExactPrompt(
                prompt: try #require(entry["prompt"] as? String), ids: try #require(entry["token_ids"] as? [Int]),
                logprobs: try #require(entry["token_logprobs"] as? [Any]).map { $0 as? Double })
        }
    }

    /// One prompt's per-token comparison of two engines' (or an engine's and the exact) log-probabilities.
    struct Agreement: CustomStringConvertible {
        var prompt: String
        var pairs: [(value: Double, reference: Double)] = []

        var signedPerToken: Double { pairs.reduce(0) { $0 + $1.value - $1.reference } / Double(max(1, pairs.count)) }
        /// The average over the prompt's tokens of |value - reference|, nats per token.
        var meanAbsolute: Double { pairs.reduce(0) { $0 + abs($1.value - $1.reference) } / Double(max(1, pairs.count)) }
        var worst: Double { pairs.map { abs($0.value - $0.reference) }.max() ?? 0 }

        var description: String {
            String(format: "%2d tokens, log-likelihood %+.4f nats/token, mean |d| %.4f, worst %.4f: %@", pairs.count, signedPerToken,
                   meanAbsolute, worst, String(prompt.prefix(40)))
        }

        static func set(_ all: [Agreement]) -> String {
            let pairs = all.flatMap(\.pairs)
            let signed = pairs.reduce(0) { $0 + $1.value - $1.reference } / Double(max(1, pairs.count))
            let absolute = pairs.reduce(0) { $0 + abs($1.value - $1.reference) } / Double(max(1, pairs.count))
            return String(format: "set: %d tokens, log-likelihood %+.4f nats/token, mean |d| %.4f", pairs.count, signed, absolute)
        }
    }

    /// Echoed log-likelihoods (`echo: true, max_tokens: 0, logprobs: 1`, what lm-evaluation-harness
    /// sends) against the exact ones. The server tokenizes each prompt as the golden file did. Per
    /// prompt, d_i = genrm's log-probability of token i - the exact one, over every token but the
    /// first; `meanAbsolute` = mean |d_i| and `signedPerToken` = mean d_i (the prompt's
    /// log-likelihood error per token). Both genrm and llama.cpp quantise the activations entering
    /// every matmul to 8 bits in blocks of 32, and that alone moves these prompts by 0.064 nats per
    /// token over the set (scripts/loglik_error_sources.py; float32 instead of float64 arithmetic
    /// moves them by < 0.0001, an f16 KV cache by 0.0008). That rounding is chaotic: the same 8-bit
    /// scheme computed in float32 instead of float64 lands 0.064 from itself (0.025-0.12 per
    /// prompt), so which prompts an engine gets further from exact is chance, not code. llama.cpp is
    /// as far from exact as genrm (2026-12: mean |d| 0.067 vs 0.066 over the set, 0.030-0.091 vs
    /// 0.027-0.085 per prompt, scripts/loglik_compare.py), and no 8-bit engine holds 0.05 per
    /// prompt (llama.cpp exceeds it on 8 of the 12). The rule is set by that noise, so an innocent
    /// change of rounding order does not break it (emulated 8-bit realizations reach 0.113 on one
    /// prompt and 0.063-0.067 over the set): per prompt mean |d| <= 0.15 and |signed| <= 0.1; over
    /// the set mean |d| <= 0.08 and |signed| <= 0.03.
    @Test func echoedLogLikelihoodsAreWithinTolerancesOfExact() async throws {
        let genrm = try await SharedBackends.pair.value[0]
        let root = String(genrm.baseURL.dropLast("/v1".count))
        var results: [Agreement] = []
        for entry in try Self.exact() {
            let tokenized = try RemoteHTTP.json(try await RemoteHTTP.post(root + "/tokenize", ["prompt": entry.prompt]))
            #expect(tokenized["tokens"] as? [Int] == entry.ids, "\(entry.prompt)")
            let ours = try #require(
                try await Self.logprobs(genrm.baseURL, ["prompt": entry.prompt, "max_tokens": 0, "echo": true, "logprobs": 1])["token_logprobs"]
                    as? [Any])
            try #require(ours.count == entry.ids.count)
            var agreement = Agreement(prompt: entry.prompt)
            for i in 1..<ours.count {
                agreement.pairs.append((try #require(ours[i] as? Double), try #require(entry.logprobs[i])))
            }
            results.append(agreement)
        }
        let report = results.map(\.description).joined(separator: "\n")
        print("genrm against exact\n\(report)\n\(Agreement.set(results))")
        for result in results {
            #expect(result.meanAbsolute <= 0.15, "\(result)")
            #expect(abs(result.signedPerToken) <= 0.1, "\(result)")
        }
        let all = results.flatMap(\.pairs)
        #expect(all.count == 182)
        #expect(all.reduce(0) { $0 + abs($1.value - $1.reference) } / Double(all.count) <= 0.08, "\(Agreement.set(results))")
        #expect(abs(all.reduce(0) { $0 + $1.value - $1.reference }) / Double(all.count) <= 0.03, "\(Agreement.set(results))")
    }

    /// Echoed log-likelihoods against llama.cpp's, reported with exact as the third column.
    /// llama-cpp-python 0.3 pairs each echoed token with the logits after it, not before, so its
    /// `token_logprobs` are shifted; its `top_logprobs` at position i are right for token i + 1, so
    /// it is asked for the whole vocabulary there and token i + 1 is looked up by its text (the
    /// second token, under a nulled first entry, and tokens spelled by several ids, whitespace, are
    /// left out). Both engines quantise activations to 8 bits their own way (genrm keeps each
    /// block's scale in float32, ggml rounds it to f16), each about 0.066 nats per token from exact
    /// on these prompts in different directions, and llama.cpp with an f32 instead of an f16 KV
    /// cache differs from itself by 0.070. So the rule between them: the set's log-likelihood
    /// within 0.05 nats per token, each prompt's within 0.1, and the mean per-token difference
    /// under 0.1.
    @Test func echoedLogLikelihoodsAgreeWithLlamaCpp() async throws {
        let genrm = try await SharedBackends.pair.value[0]
        let llamaCpp = try await LlamaCppBackendTests.server.value
        let exact = Dictionary(try Self.exact().map { ($0.prompt, $0) }) { first, _ in first }
        var results: [Agreement] = []
        var againstExact: [Agreement] = []
        for prompt in try Self.prompts() {
            let ours = try await Self.logprobs(genrm.baseURL, ["prompt": prompt, "max_tokens": 0, "echo": true, "logprobs": 1])
            let theirs = try await Self.logprobs(
                llamaCpp.baseURL, ["prompt": prompt, "max_tokens": 1, "echo": true, "logprobs": 1 << 20, "temperature": 0])
            let ourTokens = try #require(ours["tokens"] as? [String])
            let theirTokens = try #require(theirs["tokens"] as? [String])
            let ourValues = try #require(ours["token_logprobs"] as? [Any])
            let theirTop = try #require(theirs["top_logprobs"] as? [Any])
            try #require(ourTokens.count == theirTokens.count, "tokenized apart: \(ourTokens) vs \(theirTokens)")
            let reference = try #require(exact[prompt], "loglik-exact.json lacks \(prompt): run scripts/golden_loglik_exact.py")
            var agreement = Agreement(prompt: prompt)
            var llamaCppExact = Agreement(prompt: prompt)
            for i in 2..<theirTokens.count {
                let text = theirTokens[i]
                if !text.isEmpty { #expect(ourTokens[i] == text) }
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, text != theirTokens[i - 1] else { continue }
                let value = try #require((theirTop[i - 1] as? [String: Double])?[text], "llama.cpp lacks \(text) at \(i)")
                agreement.pairs.append((try #require(ourValues[i] as? Double), value))
                if let exact = reference.logprobs[i] { llamaCppExact.pairs.append((value, exact)) }
            }
            results.append(agreement)
            againstExact.append(llamaCppExact)
        }
        let report = results.map(\.description).joined(separator: "\n")
        print("genrm against llama.cpp\n\(report)\n\(Agreement.set(results))")
        print("llama.cpp against exact (same tokens)\n\(againstExact.map(\.description).joined(separator: "\n"))\n\(Agreement.set(againstExact))")
        let all = results.flatMap(\.pairs)
        #expect(all.count >= 100, "\(report)")
        let setPerToken = all.reduce(0) { $0 + $1.value - $1.reference } / Double(all.count)
        let meanAbsolute = all.reduce(0) { $0 + abs($1.value - $1.reference) } / Double(all.count)
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
