import GenRM
import Testing
@testable import Engine

/// vLLM's penalties and `min_tokens` in the sampler, on hand-made logits whose answer is worked
/// out in each test.
@Suite struct SamplerPenaltyTests {
    @Test func frequencyAndPresenceCountOnlyGeneratedTokens() throws {
        // Token 0 leads by 1.0; the prompt holds it, which frequency and presence ignore.
        let logits: [Float] = [3, 2, 0.5]
        var sampler = try Sampler(SamplingParameters(frequencyPenalty: 0.6), prompt: [0, 0, 0])
        #expect(try sampler.sample(logits) == 0)      // 3 vs 2: nothing generated yet
        #expect(try sampler.sample(logits) == 0)      // 3 - 0.6 = 2.4 vs 2
        #expect(try sampler.sample(logits) == 1)      // 3 - 1.2 = 1.8 vs 2
        #expect(try sampler.sample(logits) == 0)      // 1.8 vs 2 - 0.6 = 1.4
        var presence = try Sampler(SamplingParameters(presencePenalty: 1.5))
        #expect(try presence.sample(logits) == 0)
        #expect(try presence.sample(logits) == 1)     // 1.5 vs 2
        #expect(try presence.sample(logits) == 0)     // 1.5 vs 0.5 vs 0.5: presence counts once, not per repeat
    }

    @Test func repetitionDividesPositiveAndMultipliesNegativeLogits() throws {
        // Prompt tokens count: 0 (positive) falls to 4 / 2 = 2 < 2.5; 2 (negative) falls further.
        var sampler = try Sampler(SamplingParameters(repetitionPenalty: 2), prompt: [0, 2])
        #expect(try sampler.sample([4, 2.5, -1]) == 1)
        // Below 1 the penalty favours repeats: -1 * 0.5 = -0.5 beats -0.8.
        var favouring = try Sampler(SamplingParameters(repetitionPenalty: 0.5), prompt: [2])
        #expect(try favouring.sample([-2, -0.8, -1]) == 2)
    }

    @Test func minTokensBarsStopTokensUntilReached() throws {
        var sampler = try Sampler(SamplingParameters(minTokens: 2), stopTokens: [0])
        let logits: [Float] = [5, 1, 0]
        #expect(try sampler.sample(logits) == 1)
        #expect(try sampler.sample(logits) == 1)
        #expect(try sampler.sample(logits) == 0)
    }

    @Test func rangesAreVLLMs() throws {
        #expect(throws: SamplingError.invalidParameter(ParameterRangeError("presence_penalty", 2.5, "must be in [-2, 2]"))) {
            try Sampler(SamplingParameters(presencePenalty: 2.5))
        }
        #expect(throws: SamplingError.invalidParameter(ParameterRangeError("frequency_penalty", -3.0, "must be in [-2, 2]"))) {
            try Sampler(SamplingParameters(frequencyPenalty: -3))
        }
        #expect(throws: SamplingError.invalidParameter(ParameterRangeError("repetition_penalty", 0.0, "must be in (0, 2]"))) {
            try Sampler(SamplingParameters(repetitionPenalty: 0))
        }
        #expect(throws: SamplingError.invalidParameter(ParameterRangeError("min_tokens", -1, "must be >= 0"))) {
            try Sampler(SamplingParameters(minTokens: -1))
        }
    }
}
