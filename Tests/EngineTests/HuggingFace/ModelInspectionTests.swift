import Foundation
import Formats
import JSON
import Testing
@testable import Engine

/// What `genrm inspect` reports: parameter counts equal to the tensors' element counts, bytes
/// per type from the real headers (or the config when there are no weights), one description
/// of the layers whichever file format holds the model, and the 49B's numbers.
@Suite struct ModelInspectionTests {
    static let superConfig = HFFixtures.repositoryRoot.appendingPathComponent("Tests/EngineTests/Fixtures/nemotron-super-49b").path

    @Test(arguments: [("llama", 1), ("qwen2", 1), ("decilm", 3)])
    func theParameterCountIsTheSumOfTheStoredElementCounts(_ name: String, _ files: Int) throws {
        let inspection = try ModelInspection(path: try HFFixtures.directory(name))
        let expected = try HFFixtures.expected(name)
        #expect(inspection.parameterCount == expected.parameters)
        #expect(inspection.tensorSource == .safetensors(files: files))
        let stored = try #require(try SafetensorsCheckpoint.open(directory: try HFFixtures.directory(name)))
        #expect(inspection.typeTotals.map(\.bytes).reduce(0, +) == stored.tensors.map(\.byteCount).reduce(0, +))
        #expect(Set(inspection.typeTotals.map(\.typeName)) == Set(expected.tensors.values.map(\.dtype)))
    }

    /// generation_config.json is reported as written (less transformers' bookkeeping), never applied.
    @Test func generationDefaultsAreReported() throws {
        let llama = try ModelInspection(path: try HFFixtures.directory("llama"))
        let fields = try #require(llama.generationDefaults?.fields)
        #expect(fields.keys == ["bos_token_id", "do_sample", "eos_token_id", "temperature", "top_p"])
        #expect(fields["temperature"] == JSONValue.double(0.6) && fields["eos_token_id"] == JSONValue.array([.int(2), .int(3)]))
        #expect(try ModelInspection(path: try HFFixtures.directory("qwen2")).generationDefaults == nil)
    }

    /// Without weights the directory's config.json alone gives the same count and bytes.
    @Test(arguments: ["llama", "qwen2", "decilm"])
    func aConfigWithoutWeightsImpliesTheSameTensors(_ name: String) throws {
        let withWeights = try ModelInspection(path: try HFFixtures.directory(name))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-config-only-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(atPath: try HFFixtures.directory(name) + "/config.json", toPath: directory.path + "/config.json")
        let configOnly = try ModelInspection(path: directory.path)
        guard case .config(let dtype, true) = configOnly.tensorSource else {
            Issue.record("\(configOnly.tensorSource)")
            return
        }
        #expect(dtype.rawValue == withWeights.typeTotals.first?.typeName)
        #expect(configOnly.parameterCount == withWeights.parameterCount)
        #expect(configOnly.typeTotals == withWeights.typeTotals)
        #expect(configOnly.memoryPlan() == withWeights.memoryPlan())
    }

    /// A DeciLM in GGUF (llama.cpp's encoding of the same layer kinds) and in HF layout give the
    /// same layer description and KV cache.
    @Test func ggufAndHuggingFaceDescribeTheLayersAlike() throws {
        let hf = try ModelInspection(path: try HFFixtures.directory("decilm"))
        var tiny = TinyModel(architecture: "deci", hidden: 64, headDim: 16, vocabulary: 128, contextLength: 256, layers: hf.config.layers)
        tiny.tiedOutput = false
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-deci-\(UUID().uuidString).gguf").path
        try Data(try tiny.bytes()).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let gguf = try ModelInspection(path: path)
        #expect(gguf.tensorSource == .gguf && gguf.modelType == nil)
        #expect(gguf.config.layers == hf.config.layers)
        #expect(gguf.memoryPlan().kvBytesPerToken == hf.memoryPlan().kvBytesPerToken)
        #expect(gguf.parameterCount == hf.parameterCount)
    }

    /// Llama-3.3-Nemotron-Super-49B's config.json (the fixture; no weights): MODELS.md's layout
    /// and ~49.9B parameters. Exactly: embeddings and output 2 x 128256 x 8192; 49 attention
    /// layers of q/o 8192 x 8192, k/v 1024 x 8192 and a norm; 80 FFNs of 3 x 8192 x width and a
    /// norm over widths summing to 1,642,496; the final norm: 49,867,145,216.
    @Test func theSuper49BConfig() throws {
        let inspection = try ModelInspection(path: Self.superConfig)
        let config = inspection.config
        #expect(inspection.modelType == "nemotron-nas" && config.architecture == "deci")
        #expect(inspection.tensorSource == .config(dtype: .bf16, stated: true))
        #expect(inspection.parameterCount == 49_867_145_216)
        #expect(config.layers.count == 80 && inspection.attentionLayerCount == 49)
        #expect(config.layers.filter { $0.attention == .none }.count == 31)
        #expect(config.layers.allSatisfy { $0.attention == .none || $0.attention == .multiHead(heads: 64, kvHeads: 8) })
        var widths: [Int: Int] = [:]
        for layer in config.layers {
            guard case .gated(let width) = layer.feedForward else { Issue.record("layer without a gated FFN"); continue }
            widths[width, default: 0] += 1
        }
        #expect(widths == [28672: 49, 14336: 6, 17920: 1, 7168: 10, 5632: 8, 2816: 6])
        #expect(config.attentionLayerIndices.prefix(6) == [0, 1, 2, 3, 4, 5] && config.attentionLayerIndices.contains(52))
        #expect(config.rope.frequencyDivisors?.count == 64 && config.contextLength == 131_072 && config.vocabularySize == 128_256)
        let plan = inspection.memoryPlan(contextLength: 40_000)
        // 49 layers x (keys + values) x 8 heads x 128 x 2 bytes (F16).
        #expect(plan.kvBytesPerToken == 200_704)
        #expect(plan.kvBytesAtContext == 8_028_160_000)
        #expect(plan.weightBytesAsStored == 2 * 49_867_145_216)
        // Matrices (all but the 130 norm vectors of 8192) quantize whole, their rows (8192 or an
        // FFN width) being multiples of 256; the norms stay BF16. The untied embedding is only
        // looked up: rows as quantized.
        let vectors = 130 * 8192, embedding = 128_256 * 8192, matrices = 49_867_145_216 - vectors - embedding
        #if arch(x86_64) && os(Linux)
        // The rest in the kernels' interleaved layout: 288 B per 8 x 32 weights for Q8_0, 1184 B
        // per 8 x 256 for Q4_K, each 8-row group padded to whole cache lines (32 B more where a
        // row has an odd number of super-blocks: the six 2816-wide down projections of 8192 rows).
        #expect(plan.weightBytesQuantized == [
            .init(type: .q8_0, bytes: matrices / 256 * 288 + embedding / 32 * 34 + 2 * vectors),  // 56,035,803,136
            .init(type: .q4_K, bytes: matrices / 2048 * 1184 + 6 * 1024 * 32 + embedding / 256 * 144 + 2 * vectors),  // 28,814,737,408
        ])
        #else
        #expect(plan.weightBytesQuantized == [
            .init(type: .q8_0, bytes: (matrices + embedding) / 32 * 34 + 2 * vectors),  // 52,984,840,192
            .init(type: .q4_K, bytes: (matrices + embedding) / 256 * 144 + 2 * vectors),  // 28,051,800,064
        ])
        #endif
    }
}
