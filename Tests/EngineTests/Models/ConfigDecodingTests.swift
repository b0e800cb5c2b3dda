import Foundation
import Formats
import Testing
@testable import Engine

@Suite struct ConfigDecodingTests {
    static func modelPath() -> String { cachedModel("SmolLM2-135M-Instruct.Q4_1.gguf") }

    /// `$GENRM_CACHE/models/<file>` (default `~/.cache/genrm`).
    static func cachedModel(_ file: String) -> String {
        let cache = ProcessInfo.processInfo.environment["GENRM_CACHE"] ?? NSString(string: "~/.cache/genrm").expandingTildeInPath
        return cache + "/models/" + file
    }

    @Test func smolLM2() throws {
        let path = Self.modelPath()
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path): run scripts/fetch-assets.sh")
        let model = try TransformerModel(path: path)
        let c = model.config
        #expect(c.architecture == "llama")
        #expect(c.hiddenSize == 576)
        #expect(c.layers.count == 30)
        #expect(c.layers.allSatisfy { $0 == LayerConfig(attention: .multiHead(heads: 9, kvHeads: 3), feedForward: .gated(width: 1536)) })
        #expect(c.headDim == 64)
        #expect(c.vocabularySize == 49152)
        #expect(c.contextLength == 8192)
        #expect(abs(c.normEpsilon - 1e-5) < 1e-9)
        #expect(c.rope == RoPEConfig(base: 100_000, dimensions: 64, pairing: .adjacent))
        #expect(!c.attentionBias)
        #expect(model.stack.output.name == "token_embd.weight")
        #expect(model.stack.tokenEmbedding.type == .q8_0)
    }

    /// Decodes a tiny llama whose metadata or tensors were edited; returns the error.
    func error(
        _ tiny: TinyModel = .uniform(architecture: "llama"),
        metadata: ([(String, GGUFValue)]) -> [(String, GGUFValue)] = { $0 },
        tensors: ([(name: String, dimensions: [Int], matrix: Bool)]) -> [(name: String, dimensions: [Int], matrix: Bool)] = { $0 }
    ) throws -> ModelError? {
        let file = try GGUFFile(bytes: tiny.bytes(editMetadata: metadata, editTensors: tensors))
        return #expect(throws: ModelError.self) { try TransformerModel(file: file) }
    }

    @Test func missingKeyIsNamed() throws {
        let e = try error(metadata: { $0.filter { $0.0 != "llama.embedding_length" } })
        #expect(e == .file(.missingKey("llama.embedding_length")))
        #expect(e?.description.contains("llama.embedding_length") == true)
    }

    @Test func unsupportedArchitectureIsNamed() throws {
        let e = try error(metadata: { $0.map { $0.0 == "general.architecture" ? ($0.0, .string("gpt2")) : $0 } })
        #expect(e == .unsupportedArchitecture("gpt2"))
        #expect(e?.description == "unsupported model architecture 'gpt2' (supported: llama, qwen2, deci, gemma3)")
    }

    @Test func contradictoryHeadCountsAreNamed() throws {
        let e = try error(metadata: { $0.map { $0.0 == "llama.attention.head_count_kv" ? ($0.0, .uint32(3)) : $0 } })
        #expect(e == .invalidConfig(key: "llama.attention.head_count_kv", reason: "3 key/value heads do not divide 4 query heads"))
    }

    /// A damaged layer count (2^30, 2^31, 2^32 - 1 in a real-shaped file) is refused with the
    /// numbers before anything is sized by it: it once aborted, asking for 85 GB.
    @Test(arguments: [UInt32(1) << 30, 1 << 31, .max])
    func layerCountBeyondTheFileIsRefused(_ count: UInt32) throws {
        for tiny in [TinyModel.uniform(architecture: "llama"), ForwardTests.deci()] {
            let key = "\(tiny.architecture).block_count"
            let e = try error(tiny, metadata: { $0.map { $0.0 == key ? ($0.0, .uint32(count)) : $0 } })
            let tensors = try tiny.file().tensors.count
            #expect(e == .invalidConfig(key: key, reason: "\(count) layers in a file of \(tensors) tensors"))
        }
    }

    @Test func perLayerArrayOfTheWrongLengthIsNamed() throws {
        let e = try error(ForwardTests.deci(), metadata: {
            $0.map { $0.0 == "deci.feed_forward_length" ? ($0.0, .array([.int32(96)])) : $0 }
        })
        #expect(e == .invalidConfig(key: "deci.feed_forward_length", reason: "has 1 entries for 6 layers"))
    }

    @Test func unsupportedRopeScalingIsNamed() throws {
        let e = try error(metadata: { $0 + [("llama.rope.scaling.type", .string("yarn"))] })
        #expect(e == .invalidConfig(key: "llama.rope.scaling.type", reason: "unsupported scaling 'yarn' (supported: none, linear)"))
    }

    @Test func missingTensorIsNamed() throws {
        let e = try error(tensors: { $0.filter { $0.name != "blk.1.ffn_up.weight" } })
        #expect(e == .missingTensor("blk.1.ffn_up.weight"))
    }

    @Test func wrongShapeIsNamed() throws {
        let e = try error(tensors: {
            $0.map { $0.name == "blk.0.attn_k.weight" ? (name: $0.name, dimensions: [64, 64], matrix: true) : $0 }
        })
        #expect(e == .shapeMismatch(tensor: "blk.0.attn_k.weight", expected: [64, 32], actual: [64, 64]))
    }

    @Test func unusedTensorIsNamed() throws {
        let e = try error(tensors: { $0 + [(name: "blk.0.attn_q.bias", dimensions: [64], matrix: false)] })
        #expect(e == .unexpectedTensor("blk.0.attn_q.bias"))
    }

    @Test func missingBiasOfQwen2IsNamed() throws {
        let e = try error(.uniform(architecture: "qwen2"), tensors: { $0.filter { $0.name != "blk.1.attn_v.bias" } })
        #expect(e == .missingTensor("blk.1.attn_v.bias"))
    }

    @Test func deciLinearFeedForwardComesFromItsTensors() throws {
        let config = try ArchitectureRegistry.config(of: ForwardTests.deci().file())
        #expect(config.layers.map(\.feedForward) == [.gated(width: 96), .gated(width: 64), .linear, .none, .none, .gated(width: 160)])
        #expect(config.layers.map(\.attention) == [
            .multiHead(heads: 4, kvHeads: 2), .none, .linear, .multiHead(heads: 8, kvHeads: 1), .none, .multiHead(heads: 2, kvHeads: 2),
        ])
        #expect(config.rope.frequencyDivisors == [1, 1, 1.5, 2, 4, 8, 8, 8])
    }
}
