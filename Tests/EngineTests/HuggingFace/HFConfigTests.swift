import Foundation
import JSON
import Testing
@testable import Engine

/// config.json decodes to the same `ModelConfig` the engine runs GGUF files on, and a field the
/// architecture does not allow is refused by its full name.
@Suite struct HFConfigTests {
    static func config(_ name: String) throws -> HFModelConfig {
        try HFModelConfig(path: try HFFixtures.directory(name) + "/config.json")
    }

    @Test func llamaIsUniformWithLlama3RopeDivisors() throws {
        let config = try Self.config("llama")
        #expect(config.modelType == "llama" && !config.tiedEmbeddings && config.storedDType == .f32)
        let model = config.model
        #expect(model.architecture == "llama" && model.hiddenSize == 64 && model.headDim == 16)
        #expect(model.layers == Array(repeating: LayerConfig(attention: .multiHead(heads: 4, kvHeads: 2), feedForward: .gated(width: 160)), count: 2))
        #expect(model.vocabularySize == 128 && model.contextLength == 256 && model.normEpsilon == 1e-5 && !model.attentionBias)
        #expect(model.rope.base == 500_000 && model.rope.dimensions == 16 && model.rope.pairing == .halves)
        #expect(model.rope.frequencyDivisors == HFConfigReader.llama3Divisors(
            base: 500_000, dimensions: 16, factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 64))
    }

    @Test func qwen2HasBiasesAndTiedEmbeddings() throws {
        let config = try Self.config("qwen2")
        #expect(config.modelType == "qwen2" && config.tiedEmbeddings && config.storedDType == .f16)
        #expect(config.model.architecture == "qwen2" && config.model.attentionBias && config.model.rope.frequencyDivisors == nil)
        #expect(config.model.layers.allSatisfy { $0 == LayerConfig(attention: .multiHead(heads: 4, kvHeads: 1), feedForward: .gated(width: 128)) })
    }

    /// Every DeciLM layer kind, described as the GGUF `deci` reader describes it.
    @Test func deciLMBlockConfigsBecomeTheEngineLayers() throws {
        let config = try Self.config("decilm")
        #expect(config.modelType == "nemotron-nas" && config.model.architecture == "deci" && config.storedDType == .bf16)
        #expect(config.model.layers == [
            LayerConfig(attention: .multiHead(heads: 4, kvHeads: 2), feedForward: .gated(width: 256)),
            LayerConfig(attention: .multiHead(heads: 4, kvHeads: 1), feedForward: .gated(width: 512)),
            LayerConfig(attention: .none, feedForward: .gated(width: 768)),
            LayerConfig(attention: .linear, feedForward: .none),
            LayerConfig(attention: .multiHead(heads: 4, kvHeads: 2), feedForward: .linear),
            LayerConfig(attention: .none, feedForward: .none),
        ])
    }

    /// transformers' rounding, on the 49B's multipliers (MODELS.md's widths).
    @Test(arguments: [(5.25, 28672), (2.625, 14336), (3.28125, 17920), (1.3125, 7168), (1.0, 5632), (0.5, 2816)])
    func ffnWidthsRoundUpTo256(_ multiplier: Double, _ width: Int) {
        #expect(DeciLM.ffnWidth(multiplier: multiplier, hiddenSize: 8192) == width)
    }

    /// Llama 3 scaling at the 49B's settings: the fastest pairs kept, the slowest divided by the
    /// factor, the band between blended monotonically.
    @Test func llama3DivisorsSpanOneToTheFactor() {
        let divisors = HFConfigReader.llama3Divisors(
            base: 500_000, dimensions: 128, factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 8192)
        #expect(divisors.count == 64 && divisors.first == 1 && divisors.last == 8)
        #expect(zip(divisors, divisors.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(divisors.contains { $0 > 1 && $0 < 8 })
    }

    // MARK: - Refusals, each naming the field

    /// A one-layer DeciLM config whose first block is `block` and whose top level adds `extra`.
    static func deciLM(block: String = #"{"attention": {"n_heads_in_group": 2}, "ffn": {"ffn_mult": 1.0}}"#, extra: String = "") throws -> JSONObject {
        let text = #"{"model_type": "nemotron-nas", "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 1, "vocab_size": 128, "max_position_embeddings": 256, "block_configs": [\#(block)]\#(extra)}"#
        guard case .object(let object) = try JSONValue(parsing: text) else { throw HFFixtures.ScriptFailure(description: "not an object") }
        return object
    }

    static func refusal(_ object: JSONObject) -> String? {
        do {
            _ = try ArchitectureRegistry.config(HFConfigReader(object: object, path: "/m/config.json"))
            return nil
        } catch {
            return String(describing: error)
        }
    }

    @Test func theBaseDeciLMConfigIsAccepted() throws {
        #expect(Self.refusal(try Self.deciLM()) == nil)
    }

    @Test(arguments: [
        (#"{"attention": {"n_heads_in_group": 3}, "ffn": {"ffn_mult": 1.0}}"#, "`block_configs[0].attention.n_heads_in_group` must be a positive divisor of num_attention_heads 4, found 3"),
        (#"{"attention": {"no_op": true, "replace_with_linear": true}, "ffn": {"ffn_mult": 1.0}}"#, "`block_configs[0].attention.replace_with_linear` and no_op are both true"),
        (#"{"attention": {"n_heads_in_group": 2, "window_length": 128}, "ffn": {"ffn_mult": 1.0}}"#, "`block_configs[0].attention.window_length` is set"),
        (#"{"attention": {}, "ffn": {"ffn_mult": 1.0}}"#, "`block_configs[0].attention.n_heads_in_group` is missing"),
        (#"{"attention": {"n_heads_in_group": 2}, "ffn": {}}"#, "`block_configs[0].ffn.ffn_mult` is missing"),
        (#"{"attention": {"n_heads_in_group": 2}, "ffn": {"ffn_mult": -1}}"#, "`block_configs[0].ffn.ffn_mult` must be a positive number"),
        (#"{"attention": {"n_heads_in_group": 2}, "ffn": {"ffn_mult": 1e300}}"#, "`block_configs[0].ffn.ffn_mult` must be a positive number"),
        (#"{"attention": {"n_heads_in_group": 2}}"#, "`block_configs[0].ffn` is missing"),
        (#"{"attention": {"n_heads_in_group": "2"}, "ffn": {"ffn_mult": 1.0}}"#, "`block_configs[0].attention.n_heads_in_group` must be an integer, found a string"),
    ])
    func blockConfigsTheArchitectureDoesNotAllow(_ block: String, _ message: String) throws {
        let refusal = Self.refusal(try Self.deciLM(block: block))
        #expect(refusal?.hasPrefix("/m/config.json: ") == true, "\(String(describing: refusal))")
        #expect(refusal?.contains(message) == true, "\(String(describing: refusal))")
    }

    @Test(arguments: [
        (#", "model_type": "mamba""#, "unsupported model_type 'mamba' (supported: llama, qwen2, nemotron-nas)"),
        (#", "num_hidden_layers": 2"#, "`block_configs` has 1 entries for num_hidden_layers 2"),
        (#", "num_hidden_layers": 1000000000"#, "`num_hidden_layers` must be from 1 to 10000"),
        (#", "hidden_act": "gelu""#, "`hidden_act` is 'gelu'"),
        (#", "rope_scaling": {"rope_type": "yarn", "factor": 4}"#, "`rope_scaling.rope_type` is 'yarn'"),
        (#", "rope_scaling": {"rope_type": "llama3", "factor": 8}"#, "`rope_scaling.low_freq_factor` is missing"),
        (#", "hidden_size": 0"#, "`hidden_size` must be from 1 to"),
        (#", "vocab_size": null"#, "`vocab_size` must be an integer, found null"),
        (#", "attention_bias": true"#, "`attention_bias` is true"),
    ])
    func topLevelFieldsTheArchitectureDoesNotAllow(_ extra: String, _ message: String) throws {
        let refusal = Self.refusal(try Self.deciLM(extra: extra))
        #expect(refusal?.contains(message) == true, "\(String(describing: refusal))")
        #expect(refusal?.contains("/m/config.json") == true)
    }
}
