import Foundation
import Formats
import Testing

@testable import Tokenizers

/// The GGUF `llama-bpe` path (Llama 3's pattern and whole-word shortcut chosen by
/// `tokenizer.ggml.pre`) against the Llama 3 goldens: the metadata is what llama.cpp's converter
/// writes for Llama 3 (tokens in id order, type 3 for the added special tokens, merges as
/// strings), built here from the real tokenizer.json.
@Suite struct GGUFLlama3PathTests {
    static func llama3Metadata() throws -> [String: GGUFValue] {
        let data = try Data(contentsOf: TestAssets.asset("tokenizers/llama3/tokenizer.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let model = try #require(root["model"] as? [String: Any])
        let vocab = try #require(model["vocab"] as? [String: Int])
        let merges = try #require(model["merges"] as? [String])
        let added = try #require(root["added_tokens"] as? [[String: Any]])
        var tokens = [String](repeating: "", count: vocab.count + added.count)
        var types = [Int32](repeating: 1, count: tokens.count)
        for (text, id) in vocab { tokens[id] = text }
        for token in added {
            let id = try #require(token["id"] as? Int)
            tokens[id] = try #require(token["content"] as? String)
            types[id] = 3
        }
        return [
            "tokenizer.ggml.model": .string("gpt2"),
            "tokenizer.ggml.pre": .string("llama-bpe"),
            "tokenizer.ggml.tokens": .array(tokens.map(GGUFValue.string)),
            "tokenizer.ggml.token_type": .array(types.map(GGUFValue.int32)),
            "tokenizer.ggml.merges": .array(merges.map(GGUFValue.string)),
            "tokenizer.ggml.bos_token_id": .uint32(128000),
            "tokenizer.ggml.eos_token_id": .uint32(128009),
            "tokenizer.ggml.add_bos_token": .bool(true),
        ]
    }

    @Test func llamaBPEFromGGUFMatchesHF() throws {
        let tokenizer = try Tokenizer(gguf: Self.llama3Metadata())
        #expect(tokenizer.addBOS && tokenizer.bos == 128000)
        #expect(tokenizer.eosIds == [128001, 128009])
        for name in try TestAssets.corpusNames() {
            let expected = try TestAssets.numbers("llama3/\(name).ids")
            let actual = tokenizer.encode(try TestAssets.corpusText(name), parseSpecial: true)
            if let difference = firstDifference(actual, expected, tokenizer: tokenizer) {
                Issue.record("llama3 via GGUF/\(name): \(difference)")
            }
        }
        let expected = try TestAssets.numbers("llama3/special-tokens.plain.ids")
        #expect(tokenizer.encode(try TestAssets.corpusText("special-tokens"), parseSpecial: false) == expected)
        #expect(tokenizer.encode("Hi", parseSpecial: true, addSpecialTokens: true).first == 128000)
    }
}
