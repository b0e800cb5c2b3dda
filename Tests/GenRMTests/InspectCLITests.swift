import Foundation
import Testing

/// `genrm inspect` run as a user runs it: on the 49B's config.json, on a small checkpoint it
/// writes itself, and on broken directories, each refused with one line naming the file and what
/// is wrong.
@Suite struct InspectCLITests {
    let cli = CLITests()
    static let superConfig = "Tests/EngineTests/Fixtures/nemotron-super-49b"

    /// A one-layer Llama checkpoint (hidden 4, 2 heads of 2, 1 KV head, FFN 8, vocab 6) in a fresh
    /// directory: config.json and a model.safetensors of zero F32 tensors, whose entries
    /// `edit` may change (name -> (dtype, shape)) to break it.
    static func tinyLlama(edit: (inout [(name: String, dtype: String, shape: [Int])]) -> Void = { _ in }) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-inspect-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = #"{"model_type": "llama", "hidden_size": 4, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 6, "max_position_embeddings": 32, "torch_dtype": "float32"}"#
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
        var tensors: [(name: String, dtype: String, shape: [Int])] = [
            ("model.embed_tokens.weight", "F32", [6, 4]), ("model.layers.0.input_layernorm.weight", "F32", [4]),
            ("model.layers.0.self_attn.q_proj.weight", "F32", [4, 4]), ("model.layers.0.self_attn.k_proj.weight", "F32", [2, 4]),
            ("model.layers.0.self_attn.v_proj.weight", "F32", [2, 4]), ("model.layers.0.self_attn.o_proj.weight", "F32", [4, 4]),
            ("model.layers.0.post_attention_layernorm.weight", "F32", [4]), ("model.layers.0.mlp.gate_proj.weight", "F32", [8, 4]),
            ("model.layers.0.mlp.up_proj.weight", "F32", [8, 4]), ("model.layers.0.mlp.down_proj.weight", "F32", [4, 8]),
            ("model.norm.weight", "F32", [4]), ("lm_head.weight", "F32", [6, 4]),
        ]
        edit(&tensors)
        try Data(safetensors(tensors)).write(to: URL(fileURLWithPath: directory + "/model.safetensors"))
        return directory
    }

    /// A safetensors image of zero-filled tensors (4 bytes per element for F32 and I32).
    static func safetensors(_ tensors: [(name: String, dtype: String, shape: [Int])]) -> [UInt8] {
        var entries: [String] = []
        var end = 0
        for tensor in tensors {
            let begin = end
            end += 4 * tensor.shape.reduce(1, *)
            entries.append(#""\#(tensor.name)": {"dtype": "\#(tensor.dtype)", "shape": \#(tensor.shape), "data_offsets": [\#(begin), \#(end)]}"#)
        }
        let header = Array(("{" + entries.joined(separator: ", ") + "}").utf8)
        var length = UInt64(header.count).littleEndian
        let prefix = withUnsafeBytes(of: &length) { Array($0) }
        return prefix + header + [UInt8](repeating: 0, count: end)
    }

    @Test func theSuper49BConfigIsPlannedAt40000Tokens() throws {
        let run = try cli.genrm(["inspect", Self.superConfig, "--max-model-len", "40000"])
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let text = run.stdoutText
        for line in [
            "architecture  deci (model_type nemotron-nas)",
            "layers        80: 49 with attention, 31 without",
            "  0           attention 64/8 heads, ffn 14336",
            "  1-5         attention 64/8 heads, ffn 28672",
            "  6-7         no attention, ffn 14336",
            "parameters    49,867,145,216 (49.87 B)",
            "BF16: 568 tensors, 49,867,145,216 elements, 99,734,290,432 bytes (92.9 GiB)",
            "200,704 bytes (196.0 KiB) per token (F16, 49 attention layers), 8,028,160,000 bytes (7.5 GiB) at 40,000 tokens",
        ] {
            #expect(text.contains(line), "missing '\(line)' in:\n\(text)")
        }
    }

    @Test func jsonCarriesTheSameReport() throws {
        let run = try cli.genrm(["inspect", Self.superConfig, "--max-model-len", "40000", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        #expect(report["parameters"] as? Int == 49_867_145_216)
        #expect(report["attention_layers"] as? Int == 49)
        #expect((report["layers"] as? [Any])?.count == 80)
        let memory = try #require(report["memory"] as? [String: Any])
        #expect(memory["kv_bytes_at_context"] as? Int == 8_028_160_000)
        #expect(memory["context_length"] as? Int == 40_000)
        // In the kernels' interleaved layout where they have one (ModelInspectionTests has the sums).
        #if arch(x86_64) && os(Linux)
        #expect((memory["weights_quantized"] as? [String: Any])?["q4_k"] as? Int == 28_814_737_408)
        #else
        #expect((memory["weights_quantized"] as? [String: Any])?["q4_k"] as? Int == 28_051_800_064)
        #endif
    }

    @Test func aCheckpointWithWeightsCountsItsTensors() throws {
        let directory = try Self.tinyLlama()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try cli.genrm(["inspect", directory])
        #expect(run.status == 0, "\(run.stderr)")
        // 24 + 4 + 16 + 8 + 8 + 16 + 4 + 32 + 32 + 32 + 4 + 24 elements.
        #expect(run.stdoutText.contains("parameters    204\n"), "\(run.stdoutText)")
        #expect(run.stdoutText.contains("Hugging Face checkpoint, 1 safetensors file)"), "\(run.stdoutText)")
        #expect(run.stdoutText.contains("F32: 12 tensors, 204 elements, 816 bytes"), "\(run.stdoutText)")
        #expect(!run.stdoutText.contains("generation"))
        try Data(#"{"temperature": 0.6, "eos_token_id": [5, 4], "transformers_version": "4.48.3"}"#.utf8)
            .write(to: URL(fileURLWithPath: directory + "/generation_config.json"))
        let reported = try cli.genrm(["inspect", directory])
        #expect(reported.stdoutText.contains(
            "generation    generation_config.json, reported, not applied: temperature 0.6, eos_token_id [5,4]\n"), "\(reported.stdoutText)")
    }

    /// The embedded default GGUF: 30 Llama layers of hidden 576, 9/3 heads of 64, FFN 1536, tied
    /// vocabulary of 49152: 576 x 49152 + 30 x (2 x 576^2 + 2 x 576 x 192 + 3 x 576 x 1536 +
    /// 2 x 576) + 576 = 134,515,008 parameters; KV 30 x 2 x 192 x 2 bytes = 23,040 per token.
    @Test func aGGUFFile() throws {
        let run = try cli.genrm(["inspect", try EngineCLITests.defaultModel(), "--max-model-len", "8192"])
        #expect(run.status == 0, "\(run.stderr)")
        for line in [
            "(GGUF file)", "architecture  llama\n", "  0-29        attention 9/3 heads, ffn 1536\n",
            "parameters    134,515,008 (134.52 M)\n", "23,040 bytes (22.5 KiB) per token (F16, 30 attention layers)",
            "188,743,680 bytes (180.0 MiB) at 8,192 tokens",
        ] {
            #expect(run.stdoutText.contains(line), "missing '\(line)' in:\n\(run.stdoutText)")
        }
    }

    @Test func aMissingModel() throws {
        cli.expectInputError(try cli.genrm(["inspect", "/nonexistent/model.gguf"]), mentioning: "/nonexistent/model.gguf")
    }

    @Test func aDirectoryWithoutConfig() throws {
        let directory = try Self.tinyLlama()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.removeItem(atPath: directory + "/config.json")
        cli.expectInputError(try cli.genrm(["inspect", directory]), mentioning: "\(directory)/config.json: no such file")
    }

    @Test(arguments: [
        (#""model_type": "llama""#, #""model_type": "mamba""#, "unsupported model_type 'mamba'"),
        (#""num_key_value_heads": 1"#, #""num_key_value_heads": 3"#, "`num_key_value_heads` must be a positive divisor"),
    ])
    func aConfigTheArchitectureDoesNotAllow(_ original: String, _ replacement: String, _ words: String) throws {
        let directory = try Self.tinyLlama()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.json"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: original, with: replacement)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let run = try cli.genrm(["inspect", directory])
        cli.expectInputError(run, mentioning: words)
        #expect(run.stderr.contains(path))
    }

    @Test func aDeciLMBlockConfigTheArchitectureDoesNotAllow() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-inspect-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let original = try String(
            contentsOf: TestFiles.repositoryRoot.appendingPathComponent(Self.superConfig + "/config.json"), encoding: .utf8)
        let broken = original.replacingOccurrences(of: #""n_heads_in_group": 8"#, with: #""n_heads_in_group": 7"#)
        try Data(broken.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
        cli.expectInputError(try cli.genrm(["inspect", directory]), mentioning: "`block_configs[0].attention.n_heads_in_group` must be a positive divisor of num_attention_heads 64, found 7")
    }

    @Test(arguments: [
        ("model.layers.0.self_attn.k_proj.weight", "F32", [4, 4], "tensor 'model.layers.0.self_attn.k_proj.weight' has shape [4, 4], but"),
        ("model.layers.0.self_attn.q_proj.weight", "I32", [4, 4], "tensor 'model.layers.0.self_attn.q_proj.weight' has dtype I32"),
        ("model.layers.0.self_attn.rope_extra.weight", "F32", [4], "tensor 'model.layers.0.self_attn.rope_extra.weight' is not part of a llama model"),
    ])
    func aTensorTheConfigDoesNotImply(_ name: String, _ dtype: String, _ shape: [Int], _ words: String) throws {
        let directory = try Self.tinyLlama { tensors in
            tensors.removeAll { $0.name == name }
            tensors.append((name, dtype, shape))
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try cli.genrm(["inspect", directory])
        cli.expectInputError(run, mentioning: words)
        #expect(run.stderr.contains(directory + "/model.safetensors"), "\(run.stderr)")
    }

    @Test func aMissingTensor() throws {
        let directory = try Self.tinyLlama { $0.removeAll { $0.name == "lm_head.weight" } }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        cli.expectInputError(try cli.genrm(["inspect", directory]), mentioning: "tensor 'lm_head.weight' is missing")
    }

    @Test func aMissingShard() throws {
        let directory = try Self.tinyLlama()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.moveItem(atPath: directory + "/model.safetensors", toPath: directory + "/model-00001-of-00002.safetensors")
        let index = #"{"weight_map": {"model.embed_tokens.weight": "model-00001-of-00002.safetensors", "lm_head.weight": "model-00002-of-00002.safetensors"}}"#
        try Data(index.utf8).write(to: URL(fileURLWithPath: directory + "/model.safetensors.index.json"))
        cli.expectInputError(
            try cli.genrm(["inspect", directory]),
            mentioning: "places tensor 'lm_head.weight' in \(directory)/model-00002-of-00002.safetensors, which is missing")
    }

    @Test func aHeaderLengthPastTheEnd() throws {
        let directory = try Self.tinyLlama()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data([0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D]).write(to: URL(fileURLWithPath: directory + "/model.safetensors"))
        cli.expectInputError(
            try cli.genrm(["inspect", directory]),
            mentioning: "\(directory)/model.safetensors: safetensors header length 65535 runs past the end of the file (10 bytes)")
    }

    @Test func aBadMaxModelLenIsAUsageError() throws {
        let run = try cli.genrm(["inspect", Self.superConfig, "--max-model-len", "0"])
        #expect(run.status == 64 && run.stderr.contains("--max-model-len must be >= 1"), "\(run.stderr)")
    }
}
