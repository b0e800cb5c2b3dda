import Foundation
import Testing

/// Greedy completions with `frequency_penalty` and `presence_penalty` from `genrm serve` and from
/// llama.cpp's server (`python -m llama_cpp.server`, same GGUF). Where the two mean the same the
/// texts must agree: llama.cpp subtracts `count * frequency + (count > 0) * presence` over the
/// last `last_n_tokens_size` (64) tokens its sampler accepted, and llama-cpp-python's sampler
/// accepts only generated tokens, never the prompt's, so within 64 generated tokens that is
/// vLLM's rule (output tokens only). `repeat_penalty` is vLLM's multiplicative form too, but vLLM
/// (and genrm) apply it to the prompt's tokens as well, llama-cpp-python only to the generated
/// ones: it is not compared.
@Suite struct PenaltiesAgainstLlamaCppTests {
    static let prompts = [
        "Fruit list: apple, apple, apple, apple, apple,",
        "The cat sat on the mat. The cat sat on the mat. The cat",
    ]

    static let frequency = 0.7, presence = 0.5

    /// The generated tokens' texts and, per step, the model's raw top log-probabilities.
    static func steps(_ base: String, _ body: [String: Any]) async throws -> (tokens: [String], top: [[String: Double]]) {
        let reply = try await RemoteHTTP.post(base + "/completions", body)
        try #require(reply.status == 200, "\(base): \(String(decoding: reply.body, as: UTF8.self).prefix(500))")
        let choice = try #require((try RemoteHTTP.json(reply)["choices"] as? [[String: Any]])?.first)
        let logprobs = try #require(choice["logprobs"] as? [String: Any])
        return (try #require(logprobs["tokens"] as? [String]), try #require(logprobs["top_logprobs"] as? [[String: Double]]))
    }

    /// Both engines decode greedily under the same penalties. Their logits differ by rounding
    /// (8-bit activations, see CompletionsAgainstPeersTests), so, as LlamaCppGoldenTests accepts
    /// for plain greedy text, they may part where llama.cpp's penalized scores of the two tokens
    /// are within 0.5 nats; before that every token is the same. At every step up to there
    /// llama.cpp's token is the best of its top 20 under vLLM's rule (raw log-probability -
    /// 0.7 x times generated - 0.5 if generated, prompt tokens not counted), and the penalty
    /// changed llama.cpp's choice at least once, so the shared text is the penalties' doing.
    @Test(arguments: prompts) func greedyWithFrequencyAndPresencePenaltiesAgrees(_ prompt: String) async throws {
        let genrm = try await SharedBackends.pair.value[0]
        let llamaCpp = try await LlamaCppBackendTests.server.value
        let body: [String: Any] = [
            "prompt": prompt, "max_tokens": 24, "temperature": 0, "repeat_penalty": 1.0, "frequency_penalty": Self.frequency,
            "presence_penalty": Self.presence, "logprobs": 20,
        ]
        let theirs = try await Self.steps(llamaCpp.baseURL, body)
        let ours = try await Self.steps(genrm.baseURL, body).tokens
        var counts: [String: Int] = [:]
        var penaltyActed = false
        var parting: (step: Int, gap: Double)?
        for (i, token) in theirs.tokens.enumerated() where i < ours.count {
            let top = theirs.top[i]
            func score(_ text: String) -> Double {
                let times = Double(counts[text] ?? 0)
                return (top[text] ?? -.infinity) - Self.frequency * times - (times > 0 ? Self.presence : 0)
            }
            let best = try #require(top.keys.max { score($0) < score($1) })
            #expect(score(best) - score(token) < 1e-4, "llama.cpp's step \(i) \(token) is not the best of \(top) under vLLM's rule")
            if let raw = top.max(by: { $0.value < $1.value })?.key, raw != token { penaltyActed = true }
            if ours[i] != token {
                parting = (i, score(token) - score(ours[i]))
                break
            }
            counts[token, default: 0] += 1
        }
        let report = "llama.cpp \(theirs.tokens.joined()) | genrm \(ours.joined()) | parting \(String(describing: parting))"
        print(report)
        #expect(penaltyActed, "\(report)")
        if let parting {
            #expect(parting.gap < 0.5, "\(report)")
            #expect(parting.step >= 8, "\(report)")
        } else {
            #expect(ours.count == theirs.tokens.count, "\(report)")
        }
    }
}
