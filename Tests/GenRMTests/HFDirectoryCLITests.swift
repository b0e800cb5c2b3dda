import Foundation
import TestSupport
import Testing

/// Every command that takes `--model` run on a Hugging Face checkpoint directory, as a user runs
/// it: the tiny checkpoints of scripts/make_hf_fixtures.py (weights, tokenizer.json,
/// tokenizer_config.json), and broken copies of them, each refused with one line naming the file
/// and the tensor or field, exit status 1.
@Suite struct HFDirectoryCLITests {
    let cli = CLITests()

    /// The fixtures, written once per test run (the script needs the test venv's numpy,
    /// safetensors and ml_dtypes: scripts/python-env.sh).
    static let fixtures: Result<String, CheckpointScriptFailure> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-cli-hf-\(UUID().uuidString)").path
        let (python, arguments) = TestPython.process([TestFiles.repositoryRoot.appendingPathComponent("scripts/make_hf_fixtures.py").path, directory])
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return .failure(CheckpointScriptFailure(description: message)) }
        } catch {
            return .failure(CheckpointScriptFailure(description: "\(python.path): \(error)"))
        }
        return .success(directory)
    }()

    struct CheckpointScriptFailure: Error, CustomStringConvertible {
        let description: String
    }

    static func fixture(_ name: String) throws -> String { try fixtures.get() + "/" + name }

    /// A copy of a fixture that `edit` may break.
    static func copy(_ name: String, edit: (String) throws -> Void = { _ in }) throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-cli-hf-copy-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: try fixture(name), toPath: copy)
        try edit(copy)
        return copy
    }

    /// Rewrites the JSON object in `path`.
    static func editJSON(_ path: String, _ change: (inout [String: Any]) -> Void) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    func messages() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-cli-hf-\(UUID().uuidString).json")
        try Data(#"[{"role": "user", "content": "Hi"}]"#.utf8).write(to: url)
        return url.path
    }

    // MARK: - Commands on a directory

    @Test(arguments: ["llama", "qwen2", "decilm"])
    func generateRunsOnADirectoryAndSaysSoOnTheLoadLine(fixture: String) throws {
        let run = try cli.genrm(["generate", "--model", Self.fixture(fixture), "--prompt", "the cat", "--greedy", "--max-tokens", "6"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("loaded \(fixture) ("), "\(run.stderr)")
        let quantized = try cli.genrm(["generate", "--model", Self.fixture(fixture), "--prompt", "the cat", "--greedy", "--max-tokens", "6", "--quantize", "q8_0"])
        #expect(quantized.status == 0, "\(quantized.stderr)")
        #expect(quantized.stderr.contains("quantized ") && quantized.stderr.contains(" to Q8_0 in "), "\(quantized.stderr)")
    }

    @Test func tokenizeAndTemplateReadTheDirectorysTokenizerFiles() throws {
        let llama = try Self.fixture("llama")
        let ids = try cli.genrm(["tokenize", "--model", llama, "--text", "the cat"])
        #expect(ids.status == 0 && ids.stdoutText == "83 97 112 105\n", "\(ids.stdoutText) \(ids.stderr)")
        let rendered = try cli.genrm(["template", "--model", llama, "--messages", messages()])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stdoutText == "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
        let chatML = try cli.genrm(["template", "--model", Self.fixture("qwen2"), "--messages", messages()])
        #expect(chatML.stdoutText == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", "\(chatML.stderr)")
    }

    @Test func judgeAndRewardsRunOnADirectory() throws {
        let decilm = try Self.fixture("decilm")
        // The judging prompt is some 2,900 tokens of the fixtures' byte-level vocabulary: past
        // their 256-position training context, which --max-model-len allows (with a warning).
        let judged = try cli.genrm(["judge", "examples/two-responses.json", "--model", decilm, "--quantize", "q4_k", "--json", "--quiet",
                                    "--reasoning-tokens", "8", "--analysis-tokens", "8", "--max-model-len", "4096"])
        #expect(judged.status == 0, "\(judged.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: judged.stdout) as? [String: Any])
        #expect(result["ranking"] is Double, "\(judged.stdoutText)")
        let group = #"{"history": [{"role": "user", "content": "1+1?"}], "candidates": ["2", "3"]}"#
        let rewards = try cli.genrm(["rewards", "--model", try Self.fixture("llama"), "--quiet", "--max-model-len", "4096"],
                                    stdin: Data(group.utf8))
        #expect(rewards.status == 0, "\(rewards.stderr)")
        #expect(rewards.stdoutText.contains("rewards"), "\(rewards.stdoutText)")
    }

    // MARK: - Refusals: one line naming the file and the tensor or field, exit 1

    @Test func aMissingShardIsNamed() throws {
        let directory = try Self.copy("decilm") { try FileManager.default.removeItem(atPath: $0 + "/model-00002-of-00003.safetensors") }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try cli.genrm(["generate", "--model", directory, "--prompt", "x", "--quiet"])
        cli.expectInputError(run, mentioning: directory + "/model-00002-of-00003.safetensors")
        #expect(run.stderr.contains("model.layers."), "\(run.stderr)")
    }

    @Test func aTensorOfTheWrongShapeOrDtypeIsNamed() throws {
        let shape = try InspectCLITests.tinyLlama { tensors in tensors[2].shape = [4, 2] }
        let dtype = try InspectCLITests.tinyLlama { tensors in tensors[9].dtype = "I32" }
        defer { for d in [shape, dtype] { try? FileManager.default.removeItem(atPath: d) } }
        let wrongShape = try cli.genrm(["generate", "--model", shape, "--prompt", "x", "--quiet"])
        cli.expectInputError(wrongShape, mentioning: "model.layers.0.self_attn.q_proj.weight' has shape [4, 2]")
        #expect(wrongShape.stderr.contains(shape + "/model.safetensors"), "\(wrongShape.stderr)")
        let wrongType = try cli.genrm(["judge", "examples/two-responses.json", "--model", dtype, "--quiet"])
        cli.expectInputError(wrongType, mentioning: "model.layers.0.mlp.down_proj.weight' has dtype I32")
    }

    @Test func anUnknownModelTypeIsNamed() throws {
        let directory = try Self.copy("llama") { try Self.editJSON($0 + "/config.json") { $0["model_type"] = "mistral" } }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try cli.genrm(["generate", "--model", directory, "--prompt", "x", "--quiet"])
        cli.expectInputError(run, mentioning: directory + "/config.json: unsupported model_type 'mistral'")
    }

    @Test func aBlockConfigTheArchitectureDoesNotAllowIsNamed() throws {
        let directory = try Self.copy("decilm") { directory in
            try Self.editJSON(directory + "/config.json") { config in
                var blocks = config["block_configs"] as! [[String: Any]]
                var attention = blocks[1]["attention"] as! [String: Any]
                attention["num_sink_tokens"] = 4
                blocks[1]["attention"] = attention
                config["block_configs"] = blocks
            }
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try cli.genrm(["tokenize", "--model", directory, "--text", "x"])
        #expect(run.status == 0, "tokenize reads only the tokenizer: \(run.stderr)")
        let loaded = try cli.genrm(["generate", "--model", directory, "--prompt", "x", "--quiet"])
        cli.expectInputError(loaded, mentioning: "block_configs[1].attention.num_sink_tokens")
        #expect(loaded.stderr.contains(directory + "/config.json"), "\(loaded.stderr)")
    }

    @Test func aDirectoryWithoutTokenizerJSONOrWeightsIsNamed() throws {
        let noTokenizer = try Self.copy("llama") { try FileManager.default.removeItem(atPath: $0 + "/tokenizer.json") }
        let noWeights = try Self.copy("qwen2") { try FileManager.default.removeItem(atPath: $0 + "/model.safetensors") }
        defer { for d in [noTokenizer, noWeights] { try? FileManager.default.removeItem(atPath: d) } }
        cli.expectInputError(try cli.genrm(["generate", "--model", noTokenizer, "--prompt", "x", "--quiet"]),
                             mentioning: noTokenizer + "/tokenizer.json is missing")
        cli.expectInputError(try cli.genrm(["tokenize", "--model", noTokenizer, "--text", "x"]),
                             mentioning: noTokenizer + "/tokenizer.json is missing")
        cli.expectInputError(try cli.genrm(["generate", "--model", noWeights, "--prompt", "x", "--quiet"]),
                             mentioning: "neither model.safetensors nor model.safetensors.index.json")
    }

    @Test func quantizeRefusesAQuantizedGGUFAndUnknownTypes() throws {
        let model = try EngineCLITests.defaultModel()
        cli.expectInputError(try cli.genrm(["generate", "--model", model, "--prompt", "x", "--quantize", "q8_0", "--quiet"]),
                             mentioning: "already quantized")
        let usage = try cli.genrm(["generate", "--model", Self.fixture("llama"), "--prompt", "x", "--quantize", "q4_1"])
        #expect(usage.status == 64 && usage.stderr.contains("--quantize must be one of q8_0, q4_k"), "\(usage.stderr)")
    }

    // MARK: - Named checkpoints

    @Test func aLinkedDirectoryIsListedAndStandsForItsName() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-cli-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let environment = ["GENRM_CACHE": cache]
        let linked = try cli.genrm(["models", "link", Self.fixture("llama"), "--name", "tiny-llama"], environment: environment)
        #expect(linked.status == 0, "\(linked.stderr)")
        let list = try cli.genrm(["models", "list"], environment: environment)
        #expect(list.stdoutText.contains("tiny-llama (checkpoint)\t" + (try Self.fixture("llama"))), "\(list.stdoutText)")
        let path = try cli.genrm(["models", "path", "tiny-llama"], environment: environment)
        #expect(path.stdoutText == (try Self.fixture("llama")) + "\n", "\(path.stdoutText) \(path.stderr)")
        let ids = try cli.genrm(["tokenize", "--model", "tiny-llama", "--text", "the cat"], environment: environment)
        #expect(ids.stdoutText == "83 97 112 105\n", "\(ids.stderr)")
        let again = try cli.genrm(["models", "link", Self.fixture("qwen2"), "--name", "tiny-llama"], environment: environment)
        cli.expectInputError(again, mentioning: "the name tiny-llama is taken")
        let broken = try Self.copy("llama") { try FileManager.default.removeItem(atPath: $0 + "/tokenizer.json") }
        defer { try? FileManager.default.removeItem(atPath: broken) }
        cli.expectInputError(try cli.genrm(["models", "link", broken], environment: environment), mentioning: "tokenizer.json is missing")
    }
}
