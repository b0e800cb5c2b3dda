import Foundation
import Testing
@testable import Engine

/// genrm's greedy continuation of SmolLM2-135M Q4_1 against llama.cpp's, from fixtures written
/// by `scripts/golden_llamacpp.py` (llama-cpp-python, same GGUF, same prompt ids, 32 tokens).
///
/// The rule: the continuations agree for 32 tokens or part only where llama.cpp's two best
/// logits were within 0.05. Both engines quantise activations to 8 bits with their own
/// rounding, which moves logits by a few tenths; llama.cpp against itself with an f32 instead of
/// an f16 cache breaks the rule on 3 of the first 10 prompts (partings at gaps 0.33, 0.16, 0.09).
/// So the rule is required on at least 8 of the 20 prompts, and every prompt must stay within
/// the noise band: a parting only where the gap is under 0.5, and llama.cpp's chosen token's
/// logit within 1.25 of llama.cpp's at every agreeing step. A real defect (rope pairing, a norm,
/// a cache slot) parts at once with gaps of several logits.
@Suite struct LlamaCppGoldenTests {
    struct Fixture: Decodable {
        let name: String
        let prompt_ids: [Int]
        let generated_ids: [Int]
        /// Per step: [[id, logit], [id, logit]] for llama.cpp's two best tokens.
        let top2: [[[Double]]]
    }

    /// How genrm's greedy path compared with one fixture.
    struct Comparison: CustomStringConvertible {
        let name: String
        /// First step where genrm's arg-max differs from llama.cpp's token, with llama.cpp's gap there.
        var parting: (step: Int, gap: Double)?
        /// Largest |genrm logit - llama.cpp logit| of llama.cpp's token over the agreeing steps.
        var worstLogitError = 0.0
        /// The same error over max(25, |llama.cpp's logit|): under 0.12 means within 3.0 or 12%.
        var worstRelativeError = 0.0

        var meetsRule: Bool { parting.map { $0.gap < 0.05 } ?? true }

        var description: String {
            let path = parting.map { String(format: "parts at step %d (gap %.3f)", $0.step, $0.gap) } ?? "agrees for 32 tokens"
            return "\(name): \(path), logit error up to \(String(format: "%.3f", worstLogitError))"
        }
    }

    static func fixtures(_ folder: String = "llamacpp") throws -> [Fixture] {
        let base = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/" + folder)
        let files = try FileManager.default.contentsOfDirectory(at: base, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: $0)) }
    }

    static func compare(_ fixture: Fixture, model: TransformerModel) throws -> Comparison {
        var result = Comparison(name: fixture.name)
        let session = InferenceSession(model: model)
        try session.prefill(fixture.prompt_ids)
        for (step, expected) in fixture.generated_ids.enumerated() {
            let logits = session.logits
            let mine = try #require(Sampler.argmax(logits))
            let best = fixture.top2[step][0]
            let runnerUp = fixture.top2[step][1]
            if mine != expected {
                result.parting = (step, best[1] - runnerUp[1])
                break
            }
            let error = abs(Double(logits[expected]) - best[1])
            result.worstLogitError = max(result.worstLogitError, error)
            result.worstRelativeError = max(result.worstRelativeError, error / max(25, abs(best[1])))
            try session.append(expected)
        }
        return result
    }

    @Test func greedyContinuationsMatchLlamaCpp() throws {
        let path = ConfigDecodingTests.modelPath()
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path): run scripts/fetch-assets.sh")
        let model = try TransformerModel(path: path)
        let fixtures = try Self.fixtures()
        #expect(fixtures.count >= 20)
        #expect(fixtures.allSatisfy { $0.generated_ids.count == 32 && $0.top2.count == 32 })
        let (results, _) = try Self.check(fixtures, model: model) { $0.worstLogitError < 1.25 }
        #expect(results.count >= 20)
    }

    /// Compares every fixture, prints the report and holds the rule: the near-tie rule on at
    /// least 8 prompts, partings only under a 0.5 gap, and `withinBand` for every prompt.
    static func check(_ fixtures: [Fixture], model: TransformerModel, withinBand: (Comparison) -> Bool) throws
        -> (results: [Comparison], report: String)
    {
        let results = try fixtures.map { try compare($0, model: model) }
        let report = results.map(\.description).joined(separator: "\n")
        print(report)
        #expect(results.filter(\.meetsRule).count >= 8, "\(report)")
        for result in results {
            #expect((result.parting?.gap ?? 0) < 0.5, "\(result)")
            #expect(withinBand(result), "\(result)")
        }
        return (results, report)
    }

    /// Gemma 3 270M Q4_K_M (Q5_0, Q4_K, Q6_K and Q8_0 matrices; sliding-window and global
    /// layers, QK-norm, post norms, GELU gating, scaled embeddings) under the same rule, from
    /// `scripts/golden_llamacpp.py --family gemma3`; the `window` prompt (594 tokens) runs past
    /// the local layers' 512-position window. Gemma's logits run to 41 (SmolLM2's to 20) over a
    /// 262,144-token vocabulary, so the logit band scales: within 3.0 (SmolLM2's 1.25 at twice the
    /// range, with room) or 12% of llama.cpp's logit, whichever is larger; the worst seen is 2.46
    /// on a prompt that agrees for all 32 tokens.
    @Test func gemma3GreedyContinuationsMatchLlamaCpp() throws {
        let path = ConfigDecodingTests.cachedModel("gemma-3-270m-Q4_K_M.gguf")
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path): run scripts/fetch-assets.sh")
        let model = try TransformerModel(path: path)
        #expect(model.config.architecture == "gemma3")
        let fixtures = try Self.fixtures("llamacpp-gemma3")
        #expect(fixtures.count >= 21)
        #expect(fixtures.contains { $0.name == "window" && $0.prompt_ids.count > 512 })
        let (results, report) = try Self.check(fixtures, model: model) { $0.worstRelativeError < 0.12 }
        // The window prompt agrees past position 512, where a missing window would show.
        #expect(results.first { $0.name == "window" }?.parting == nil, "\(report)")
    }

    /// Qwen2.5-Coder-1.5B-Instruct Q4_K_M (Q4_K and Q6_K matrices, the Q6_K output: the K-quant
    /// kernels of `KQuantKernelTests` on a real file, whichever instruction set this machine
    /// picks) under the same rule, from `scripts/golden_llamacpp.py --family qwen2.5-coder-1.5b`.
    @Test func qwen25Coder1_5BGreedyContinuationsMatchLlamaCpp() throws {
        let path = ConfigDecodingTests.cachedModel("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path): run make assets")
        let model = try TransformerModel(path: path)
        #expect(model.config.architecture == "qwen2")
        let fixtures = try Self.fixtures("llamacpp-qwen2.5-coder-1.5b")
        #expect(fixtures.count >= 20)
        _ = try Self.check(fixtures, model: model) { $0.worstRelativeError < 0.12 }
    }
}
