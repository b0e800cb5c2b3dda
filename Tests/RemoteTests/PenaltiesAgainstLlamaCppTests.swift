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

    static func text(_ base: String, _ body: [String: Any]) async throws -> String {
        let reply = try await RemoteHTTP.post(base + "/completions", body)
        try #require(reply.status == 200, "\(base): \(String(decoding: reply.body, as: UTF8.self).prefix(500))")
        return try #require((try RemoteHTTP.json(reply)["choices"] as? [[String: Any]])?.first?["text"] as? String)
    }

    @Test(arguments: prompts) func greedyWithFrequencyAndPresencePenaltiesAgrees(_ prompt: String) async throws {
        let genrm = try await SharedBackends.pair.value[0]
        let llamaCpp = try await LlamaCppBackendTests.server.value
        let plain: [String: Any] = ["prompt": prompt, "max_tokens": 24, "temperature": 0, "repeat_penalty": 1.0]
        let penalized = plain.merging(["frequency_penalty": 0.7, "presence_penalty": 0.5]) { $1 }
        let theirs = try await Self.text(llamaCpp.baseURL, penalized)
        #expect(theirs != (try await Self.text(llamaCpp.baseURL, plain)), "the penalties change llama.cpp's greedy text")
        #expect(try await Self.text(genrm.baseURL, penalized) == theirs)
    }
}
