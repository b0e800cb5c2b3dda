import Foundation
import GenRM
import Testing
@testable import Engine

@Suite struct SamplerTests {
    /// The filters written out directly: softmax in double, sort everything, cut.
    static func expectedSurvivors(_ logits: [Float], _ p: SamplingParameters) -> [Int] {
        let maxLogit = Double(logits.max() ?? 0)
        let weights = logits.map { Foundation.exp((Double($0) - maxLogit) / p.temperature) }
        var order = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
        if p.topK > 0 { order = Array(order.prefix(p.topK)) }
        let mass = order.reduce(0.0) { $0 + weights[$1] }
        var kept: [Int] = []
        var cumulative = 0.0
        for i in order where cumulative < Double(p.topP) * mass {
            kept.append(i)
            cumulative += weights[i]
        }
        return kept.filter { weights[$0] >= Double(p.minP) }
    }

    static func randomLogits(_ count: Int, seed: UInt64) -> [Float] {
        var random = TestRandom(seed: seed)
        return random.floats(count, scale: 8)
    }

    @Test func greedyIsArgmaxAndPrefersTheFirstOfTies() throws {
        let logits = Self.randomLogits(5000, seed: 1)
        var sampler = try Sampler(.greedy)
        let best = logits.indices.max { logits[$0] < logits[$1] }
        #expect(try sampler.sample(logits) == best)
        var tied = try Sampler(.greedy)
        #expect(try tied.sample([1, 3, 3, -2]) == 1)
    }

    @Test(arguments: [
        SamplingParameters(temperature: 1, topK: 5),
        SamplingParameters(temperature: 0.7, topP: 0.9),
        SamplingParameters(temperature: 1.3, minP: 0.05),
        SamplingParameters(temperature: 1, topK: 50, topP: 0.8, minP: 0.1),
        SamplingParameters(temperature: 2, topP: 0.999),
        SamplingParameters(temperature: 0.1, topK: 3, topP: 0.5),
    ])
    func filtersKeepExactlyTheExpectedTokens(parameters: SamplingParameters) throws {
        for seed in 1...4 as ClosedRange<UInt64> {
            let logits = Self.randomLogits(3000, seed: seed)
            let survivors = try Sampler.distribution(logits, parameters).map(\.token)
            #expect(survivors == Self.expectedSurvivors(logits, parameters))
        }
    }

    @Test func distributionIsNormalisedSoftmaxOverSurvivors() throws {
        let logits: [Float] = [0, 1, 2, -.infinity]
        let distribution = try Sampler.distribution(logits, SamplingParameters(temperature: 1))
        let z = Foundation.exp(0.0) + Foundation.exp(1.0) + Foundation.exp(2.0)
        #expect(distribution.map(\.token) == [2, 1, 0])
        #expect(abs(distribution[0].probability - Foundation.exp(2.0) / z) < 1e-6)
        #expect(abs(distribution.reduce(0) { $0 + $1.probability } - 1) < 1e-9)
    }

    @Test func drawsFollowTheDistribution() throws {
        let logits: [Float] = [0, 1, 2, -.infinity]
        var sampler = try Sampler(SamplingParameters(temperature: 1, seed: 42))
        var counts = [0, 0, 0, 0]
        let draws = 20_000
        for _ in 0..<draws { counts[try sampler.sample(logits)] += 1 }
        let z = Foundation.exp(0.0) + Foundation.exp(1.0) + Foundation.exp(2.0)
        for i in 0..<3 {
            #expect(abs(Double(counts[i]) / Double(draws) - Foundation.exp(Double(i)) / z) < 0.015)
        }
        #expect(counts[3] == 0)
    }

    @Test func sameSeedSameStreamOtherSeedOtherStream() throws {
        let logits = Self.randomLogits(1000, seed: 3).map { $0 / 4 }
        func draw(seed: UInt64) throws -> [Int] {
            var sampler = try Sampler(SamplingParameters(temperature: 1, topP: 0.95, seed: seed))
            return try (0..<50).map { _ in try sampler.sample(logits) }
        }
        #expect(try draw(seed: 7) == draw(seed: 7))
        #expect(try draw(seed: 7) != draw(seed: 8))
    }

    @Test func randomSourceIsPlatformIndependent() {
        // splitmix64-seeded xoshiro256**; outputs for seed 0 computed independently in Python.
        var random = RandomSource(seed: 0)
        let first = (0..<3).map { _ in random.next() }
        var again = RandomSource(seed: 0)
        #expect(first == (0..<3).map { _ in again.next() })
        #expect(first == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
    }

    @Test func everythingMaskedIsAnError() throws {
        var greedy = try Sampler(.greedy)
        #expect(throws: SamplingError.noCandidates) { try greedy.sample([-.infinity, -.infinity]) }
        var hot = try Sampler(SamplingParameters(temperature: 1))
        #expect(throws: SamplingError.noCandidates) { try hot.sample([-.infinity, .nan]) }
    }

    @Test func badParametersAreNamed() {
        #expect(throws: SamplingError.invalidParameter(ParameterRangeError("top_p", 0.0, "must be in (0, 1]"))) {
            try Sampler(SamplingParameters(temperature: 1, topP: 0))
        }
        #expect(throws: SamplingError.invalidParameter(ParameterRangeError("temperature", -1.0, "must be >= 0"))) {
            try Sampler(SamplingParameters(temperature: -1))
        }
        #expect(throws: SamplingError.invalidParameter(ParameterRangeError("min_p", 2.0, "must be in [0, 1]"))) {
            try Sampler(SamplingParameters(temperature: 1, minP: 2))
        }
    }

    @Test func logitBiasShiftsTheNamedTokensBeforeEveryFilter() throws {
        let logits = Self.randomLogits(2000, seed: 9)
        let best = try #require(Sampler.argmax(logits))
        var banned = try Sampler(SamplingParameters(logitBias: [best: -100]))
        let next = try banned.sample(logits)
        #expect(next != best)
        #expect(next == Sampler.argmax(logits.enumerated().map { $0.offset == best ? -Float.infinity : $0.element }))
        var forced = try Sampler(SamplingParameters(temperature: 1, seed: 4, logitBias: [7: 100]))
        for _ in 0..<20 { #expect(try forced.sample(logits) == 7) }
        // The distribution is the softmax of the shifted logits.
        let shifted = try Sampler.distribution([0, 1, 2], SamplingParameters(temperature: 1, logitBias: [0: 3]))
        let z = Foundation.exp(3.0) + Foundation.exp(1.0) + Foundation.exp(2.0)
        #expect(shifted.map(\.token) == [0, 2, 1])
        #expect(abs(shifted[0].probability - Foundation.exp(3.0) / z) < 1e-6)
        #expect(throws: SamplingError.invalidParameter(ParameterRangeError("logit_bias", "\"3\": 101.0", "biases must be in [-100, 100]"))) {
            try Sampler(SamplingParameters(logitBias: [3: 101]))
        }
    }
}
