import Formats
import Testing
@testable import Engine

/// The engine's forward pass against the reference forward on tiny random models of each
/// architecture, with every layer kind DeciLM allows.
@Suite struct ForwardTests {
    static let tokens = [3, 17, 42, 5, 88, 0, 63, 17, 9, 95, 1]

    /// Every deci layer kind: attention (two GQA groupings), none, linear; FFN widths 96 / 64,
    /// none, linear.
    static let deciLayers = [
        LayerConfig(attention: .multiHead(heads: 4, kvHeads: 2), feedForward: .gated(width: 96)),
        LayerConfig(attention: .none, feedForward: .gated(width: 64)),
        LayerConfig(attention: .linear, feedForward: .linear),
        LayerConfig(attention: .multiHead(heads: 8, kvHeads: 1), feedForward: .none),
        LayerConfig(attention: .none, feedForward: .none),
        LayerConfig(attention: .multiHead(heads: 2, kvHeads: 2), feedForward: .gated(width: 160)),
    ]

    static func deci(matrixType: GGMLType = .f32) -> TinyModel {
        var tiny = TinyModel(architecture: "deci", layers: deciLayers, matrixType: matrixType)
        tiny.ropeBase = 500_000
        tiny.ropeFrequencyDivisors = [1, 1, 1.5, 2, 4, 8, 8, 8]
        tiny.tiedOutput = false
        return tiny
    }

    /// Largest difference between the engine's and the reference's logits over all positions.
    func worstDifference(_ tiny: TinyModel) throws -> (difference: Double, scale: Double) {
        let file = try tiny.file()
        let model = try TransformerModel(file: file)
        #expect(model.config == tiny.expectedConfig)
        let reference = try ReferenceTransformer(config: tiny.expectedConfig, file: file).logits(Self.tokens)
        let cache = KVCache(config: model.config)
        let sequence = cache.addSequence()
        let logits = try model.forward(TokenBatch(sequence: sequence, start: 0, tokens: Self.tokens, allLogits: true), cache: cache)
        var worst = 0.0
        var scale = 0.0
        for t in Self.tokens.indices {
            for (a, b) in zip(logits.row(t), reference[t]) {
                worst = max(worst, abs(Double(a) - b))
                scale = max(scale, abs(b))
            }
        }
        return (worst, scale)
    }

    @Test func llamaMatchesReference() throws {
        let result = try worstDifference(.uniform(architecture: "llama"))
        #expect(result.difference < 1e-3, "scale \(result.scale)")
    }

    @Test func qwen2WithBiasesAndHalvesRopeMatchesReference() throws {
        var tiny = TinyModel.uniform(architecture: "qwen2", heads: 4, kvHeads: 1)
        tiny.tiedOutput = false
        tiny.ropeBase = 1_000_000
        let result = try worstDifference(tiny)
        #expect(result.difference < 1e-3, "scale \(result.scale)")
    }

    @Test func deciWithEveryLayerKindMatchesReference() throws {
        let result = try worstDifference(Self.deci())
        #expect(result.difference < 1e-3, "scale \(result.scale)")
    }

    /// Quantised matrices: the engine quantises activations to 8 bits for integer dots (as
    /// llama.cpp does), so it is held to a looser bound than the float models.
    @Test(arguments: [GGMLType.q8_0, .q4_1, .q4_0, .f16])
    func quantisedDeciMatchesReference(type: GGMLType) throws {
        let result = try worstDifference(Self.deci(matrixType: type))
        #expect(result.difference < 0.02 * result.scale, "difference \(result.difference), scale \(result.scale)")
    }

    @Test(arguments: [GGMLType.q8_0, .q4_1])
    func quantisedLlamaMatchesReference(type: GGMLType) throws {
        var tiny = TinyModel.uniform(architecture: "llama", layerCount: 3)
        tiny.matrixType = type
        let result = try worstDifference(tiny)
        #expect(result.difference < 0.02 * result.scale, "difference \(result.difference), scale \(result.scale)")
    }

    @Test func cacheHoldsOnlyAttentionLayers() throws {
        let model = try Self.deci().model()
        let cache = KVCache(config: model.config)
        #expect(cache.rowWidths == [2 * 16, 1 * 16, 2 * 16])
        #expect(cache.cachedLayerIndex == [0, nil, nil, 1, nil, 2])
    }
}
