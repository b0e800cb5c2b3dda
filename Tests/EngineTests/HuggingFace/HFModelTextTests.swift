import Foundation
import GenRM
import Testing
@testable import Engine

/// A checkpoint directory's tokenizer and chat template: tokenizer.json with what
/// tokenizer_config.json says (BOS/EOS, add_bos_token, added tokens, chat_template), as
/// `EmbeddedModel(path:)` runs them. Ids below follow from the fixture's vocabulary
/// (scripts/make_hf_fixtures.py): byte symbols 0x21...0x7E are ids 0...93, space 94, newline 95,
/// merge k is id 96 + k, the special tokens follow the merges.
@Suite struct HFModelTextTests {
    @Test func theLlamaFixtureReadsItsTokenizerAndTemplate() throws {
        let model = try EmbeddedModel(path: try HFFixtures.directory("llama"))
        #expect(model.file == nil && model.checkpoint != nil)
        #expect(model.name == "llama")
        #expect(model.tokenizer.vocabularySize == 128)
        // "the cat": t + "he" (merge 1); "Ġc" (merge 16) + "at" (merge 9), "at" first by rank.
        #expect(model.tokenizer.encode("the cat", parseSpecial: false) == [0x74 - 0x21, 97, 112, 105])
        let bos = try #require(model.tokenizer.bos)
        #expect(model.tokenizer.tokenText(bos) == "<|begin_of_text|>" && bos == 120)
        #expect(model.tokenizer.eos.flatMap(model.tokenizer.tokenText) == "<|eot_id|>")
        let text = try model.promptRenderer.render([ChatMessage(role: "user", content: "Hi")])
        #expect(text == "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
        // BOS once: the template wrote it.
        #expect(model.encodePrompt(text).filter { $0 == bos }.count == 1)
        #expect(model.promptRenderer.origin == .model)
    }

    @Test func theQwen2FixtureHasChatMLAndNoBOS() throws {
        let model = try EmbeddedModel(path: try HFFixtures.directory("qwen2"))
        #expect(model.tokenizer.bos == nil && !model.tokenizer.addBOS)
        #expect(model.tokenizer.eos.flatMap(model.tokenizer.tokenText) == "<|im_end|>")
        let text = try model.promptRenderer.render([ChatMessage(role: "user", content: "Hi")])
        #expect(text == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        #expect(model.encodePrompt(text).first == model.tokenizer.id(forToken: "<|im_start|>"))
    }

    /// A copy of a fixture whose files `edit` changes.
    static func copy(_ fixture: String, edit: (String) throws -> Void) throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-hf-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: try HFFixtures.directory(fixture), toPath: copy)
        try edit(copy)
        return copy
    }

    @Test func aDirectoryWithoutTokenizerJSONIsRefusedNamingIt() throws {
        let directory = try Self.copy("llama") { try FileManager.default.removeItem(atPath: $0 + "/tokenizer.json") }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try EmbeddedModel(path: directory)
            Issue.record("loaded without tokenizer.json")
        } catch {
            #expect("\(error)".contains(directory + "/tokenizer.json is missing"), "\(error)")
        }
    }

    @Test func addBOSTokenAndAnAddedTokenThatDisagreesAreRead() throws {
        let directory = try Self.copy("llama") { directory in
            let path = directory + "/tokenizer_config.json"
            var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            config["add_bos_token"] = false
            try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try !ModelText(checkpointDirectory: directory).tokenizer.addBOS)
        #expect(try ModelText(checkpointDirectory: HFFixtures.directory("llama")).tokenizer.addBOS)

        let wrong = try Self.copy("llama") { directory in
            let path = directory + "/tokenizer_config.json"
            var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            config["added_tokens_decoder"] = ["121": ["content": "<|begin_of_text|>", "special": true]]
            try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        }
        defer { try? FileManager.default.removeItem(atPath: wrong) }
        do {
            _ = try ModelText(checkpointDirectory: wrong)
            Issue.record("accepted a contradicting added token")
        } catch {
            #expect("\(error)".contains("tokenizer_config.json") && "\(error)".contains("gives id 120"), "\(error)")
        }
    }

    /// transformers' list form of chat_template: the one named `default`.
    @Test func aListOfNamedTemplatesUsesTheDefault() throws {
        let directory = try Self.copy("qwen2") { directory in
            let path = directory + "/tokenizer_config.json"
            var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            config["chat_template"] = [["name": "tool_use", "template": "tools"], ["name": "default", "template": "{{ messages[0]['content'] }}!"]]
            try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = try ModelText(checkpointDirectory: directory).promptRenderer.render([ChatMessage(role: "user", content: "Hi")])
        #expect(text == "Hi!")
    }
}
