import Foundation
import GenRM
import Testing

/// `genrm generate` and `genrm judge --json` on the embedded default model, run as a user runs
/// them (the built binary as a subprocess).
@Suite struct EngineCLITests {
    let cli = CLITests()

    /// The default model in the cache (`make assets` fetches it).
    static func defaultModel() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["GENRM_CACHE"] ?? NSString(string: "~/.cache/genrm").expandingTildeInPath
        let path = cache + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        try #require(FileManager.default.fileExists(atPath: path), "the default model is missing: run scripts/fetch-assets.sh")
        return path
    }

    func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-cli-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A raw prompt with ChatML markers parses them into special tokens, as llama.cpp and vLLM's
    /// completions do, so it continues exactly as the same chat given as messages;
    /// `--no-special` reads them as text and continues differently.
    @Test func aChatFormattedRawPromptContinuesLikeTheChatItself() throws {
        let model = try Self.defaultModel()
        let messages = try file(#"[{"role": "user", "content": "Name a colour."}]"#)
        let rendered = try cli.genrm(["template", "--model", model, "--messages", messages])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let base = ["generate", "--model", model, "--max-tokens", "8", "--quiet"]
        let chat = try cli.genrm(base + ["--messages", messages])
        let raw = try cli.genrm(base + ["--prompt", rendered.stdoutText])
        let plain = try cli.genrm(base + ["--prompt", rendered.stdoutText, "--no-special"])
        #expect(chat.status == 0 && raw.status == 0 && plain.status == 0, "\(chat.stderr) \(raw.stderr) \(plain.stderr)")
        #expect(!chat.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(raw.stdoutText == chat.stdoutText)
        #expect(plain.stdoutText != chat.stdoutText)
    }

    /// `--max-model-len` bounds generation: a prompt that does not fit is refused with both
    /// sizes, and a continuation stops where the context ends.
    @Test func generateKeepsToMaxModelLen() throws {
        let model = try Self.defaultModel()
        let prompt = String(repeating: "one two three ", count: 20)
        let refused = try cli.genrm(["generate", "--model", model, "--max-model-len", "16", "--prompt", prompt, "--quiet"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("16"), "\(refused.stderr)")
        let cut = try cli.genrm(["generate", "--model", model, "--max-model-len", "70", "--max-tokens", "100", "--prompt", prompt])
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(cut.stderr.contains("(length)"), "\(cut.stderr)")
        let generated = cut.stderr.components(separatedBy: "generated ").last?.split(separator: " ").first.flatMap { Int($0) }
        #expect((generated ?? 100) < 100)
    }

    /// `--votes 100000` is refused before anything grows (it used to take 23.5 GB until the
    /// kernel killed it), with the memory it would take and what the engine may use.
    @Test func votesBeyondMemoryAreRefusedUpFront() throws {
        let model = try Self.defaultModel()
        let run = try cli.genrm(["judge", "examples/two-responses.json", "--model", model, "--votes", "100000", "--temperature", "1", "--quiet"])
        cli.expectInputError(run, mentioning: "100000 choices of up to")
        #expect(run.stderr.contains("TiB of KV cache"), "\(run.stderr)")
        let small = try cli.genrm(["judge", "examples/two-responses.json", "--model", model, "--votes", "300", "--temperature", "1",
                                   "--kv-cache-memory", "1GiB", "--quiet"])
        cli.expectInputError(small, mentioning: "more than the 1.0 GiB")
        let bad = try cli.genrm(["judge", "examples/two-responses.json", "--model", model, "--kv-cache-memory", "lots"])
        #expect(bad.status == 64 && bad.stderr.contains("--kv-cache-memory must be a size"), "\(bad.stderr)")
    }

    /// With several votes the top level is the combined result: the mean ranking and scores over
    /// the parsed votes and the preference they give, while each vote keeps its own judgment.
    @Test func judgeJSONTopLevelIsTheCombinedResult() throws {
        let model = try Self.defaultModel()
        let result = try cli.genrm([
            "judge", "examples/two-responses.json", "--model", model, "--votes", "3", "--temperature", "1", "--json", "--quiet",
            "--reasoning-tokens", "8", "--analysis-tokens", "8",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(json["judgment"] == nil)
        let votes = try #require(json["votes"] as? [[String: Any]])
        let rankings = votes.compactMap { ($0["judgment"] as? [String: Any])?["ranking"] as? Int }
        #expect(rankings.count == 3)
        let mean = Double(rankings.reduce(0, +)) / 3
        #expect(abs((json["ranking"] as? Double ?? 0) - mean) < 1e-9)
        #expect(json["preferred"] as? Int == (mean < 3.5 ? 1 : 2))
        let verdict = try #require(json["verdict"] as? String)
        #expect(verdict.hasPrefix("Response \(mean < 3.5 ? 1 : 2) is"), "\(verdict)")
    }
}
