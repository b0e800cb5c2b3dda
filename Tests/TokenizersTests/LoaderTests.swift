import Foundation
import Formats
import Testing

@testable import Tokenizers

/// Loading from GGUF metadata and tokenizer.json: flags, special tokens, and a typed error
/// naming the problem for every unsupported or malformed input.
@Suite struct LoaderTests {
    /// A tiny byte-level vocabulary: the 256 byte tokens, then "ab", "abc", "<|end|>" (control)
    /// and "<tool>" (user-defined).
    static func tinyGGUF(pre: String = "gpt-2", overrides: [String: GGUFValue] = [:]) -> [String: GGUFValue] {
        let bytes = (0...255).map { ByteLevelAlphabet.text(ofBytes: [UInt8($0)]) }
        let tokens = bytes + ["ab", "abc", "<|end|>", "<tool>"]
        let types = Array(repeating: 1, count: 258) + [3, 4]
        var metadata: [String: GGUFValue] = [
            "tokenizer.ggml.model": .string("gpt2"),
            "tokenizer.ggml.pre": .string(pre),
            "tokenizer.ggml.tokens": .array(tokens.map(GGUFValue.string)),
            "tokenizer.ggml.token_type": .array(types.map { .int32(Int32($0)) }),
            "tokenizer.ggml.merges": .array([.string("a b"), .string("ab c")]),
            "tokenizer.ggml.bos_token_id": .uint32(258),
            "tokenizer.ggml.eos_token_id": .uint32(258),
        ]
        for (key, value) in overrides { metadata[key] = value }
        return metadata
    }

    @Test func tinyGGUFEncodesWithMergesAndAddedTokens() throws {
        let tokenizer = try Tokenizer(gguf: Self.tinyGGUF())
        let a = Int(UInt8(ascii: "a")), space = Int(UInt8(ascii: " "))
        #expect(tokenizer.encode("abc", parseSpecial: true) == [257])
        #expect(tokenizer.encode("ab a", parseSpecial: true) == [256, space, a])
        #expect(tokenizer.encode("abc<|end|>", parseSpecial: true) == [257, 258])
        #expect(tokenizer.encode("abc<|end|>", parseSpecial: false).contains(258) == false)
        // User-defined tokens are split out even without parseSpecial.
        #expect(tokenizer.encode("x<tool>", parseSpecial: false) == [Int(UInt8(ascii: "x")), 259])
        #expect(tokenizer.eosIds == [258])
        #expect(try tokenizer.decode([257, 258, 259]) == "abc<|end|><tool>")
        #expect(try tokenizer.decode([257, 258, 259], skipSpecialTokens: true) == "abc<tool>")
    }

    @Test func addBOSAndEOSFromMetadata() throws {
        let plain = try Tokenizer(gguf: Self.tinyGGUF())
        #expect(plain.addBOS == false && plain.addEOS == false)
        #expect(plain.encode("ab", parseSpecial: true, addSpecialTokens: true) == [256])
        let flagged = try Tokenizer(gguf: Self.tinyGGUF(overrides: [
            "tokenizer.ggml.add_bos_token": .bool(true),
            "tokenizer.ggml.add_eos_token": .bool(true),
            "tokenizer.ggml.bos_token_id": .uint32(259),
        ]))
        #expect(flagged.addBOS && flagged.addEOS)
        #expect(flagged.bos == 259 && flagged.eos == 258)
        #expect(flagged.encode("ab", parseSpecial: true, addSpecialTokens: true) == [259, 256, 258])
        #expect(flagged.encode("ab", parseSpecial: true) == [256])
    }

    @Test func wholeWordShortcutOnlyForLlama3() throws {
        // "ac" is in the vocabulary but no merge builds it: only `ignore_merges` emits it whole.
        var metadata = Self.tinyGGUF(pre: "llama-bpe")
        let tokens = try #require(metadata["tokenizer.ggml.tokens"]?.strings)
        metadata["tokenizer.ggml.tokens"] = .array((tokens + ["ac"]).map(GGUFValue.string))
        metadata["tokenizer.ggml.token_type"] = .array((Array(repeating: 1, count: 258) + [3, 4, 1]).map { .int32($0) })
        let llama = try Tokenizer(gguf: metadata)
        #expect(llama.encode("ac", parseSpecial: true) == [260])
        metadata["tokenizer.ggml.pre"] = .string("gpt-2")
        let gpt2 = try Tokenizer(gguf: metadata)
        #expect(gpt2.encode("ac", parseSpecial: true) == [Int(UInt8(ascii: "a")), Int(UInt8(ascii: "c"))])
    }

    @Test func ggufErrorsNameTheProblem() {
        #expect(throws: TokenizerError.unsupportedModel("tokenizer.ggml.model = bert")) {
            try Tokenizer(gguf: Self.tinyGGUF(overrides: ["tokenizer.ggml.model": .string("bert")]))
        }
        #expect(throws: TokenizerError.unsupportedPreTokenizer("tokenizer.ggml.pre = deepseek-llm")) {
            try Tokenizer(gguf: Self.tinyGGUF(pre: "deepseek-llm"))
        }
        var missing = Self.tinyGGUF()
        missing["tokenizer.ggml.merges"] = nil
        #expect(throws: TokenizerError.missingField("tokenizer.ggml.merges")) { try Tokenizer(gguf: missing) }
        #expect(throws: TokenizerError.invalidMerge(index: 1, merge: "ab x y", reason: "expected two tokens separated by one space")) {
            try Tokenizer(gguf: Self.tinyGGUF(overrides: ["tokenizer.ggml.merges": .array([.string("a b"), .string("ab x y")])]))
        }
        #expect(throws: TokenizerError.invalidMerge(index: 0, merge: "b c", reason: "the merged token 'bc' is not in the vocabulary")) {
            try Tokenizer(gguf: Self.tinyGGUF(overrides: ["tokenizer.ggml.merges": .array([.string("b c")])]))
        }
        #expect(throws: TokenizerError.invalidMerge(index: 1, merge: "a b", reason: "repeats an earlier merge of the same pair")) {
            try Tokenizer(gguf: Self.tinyGGUF(overrides: ["tokenizer.ggml.merges": .array([.string("a b"), .string("a b")])]))
        }
        #expect(throws: TokenizerError.invalidField("tokenizer.ggml.token_type", reason: "3 entries for 260 tokens")) {
            try Tokenizer(gguf: Self.tinyGGUF(overrides: ["tokenizer.ggml.token_type": .array([.int32(1), .int32(1), .int32(1)])]))
        }
        #expect(throws: TokenizerError.invalidField("eos token id", reason: "999 is outside 0..<260")) {
            try Tokenizer(gguf: Self.tinyGGUF(overrides: ["tokenizer.ggml.eos_token_id": .uint32(999)]))
        }
        var noBOS = Self.tinyGGUF(overrides: ["tokenizer.ggml.add_bos_token": .bool(true)])
        noBOS["tokenizer.ggml.bos_token_id"] = nil
        #expect(throws: TokenizerError.invalidField("add BOS", reason: "asked for, but there is no BOS token")) {
            try Tokenizer(gguf: noBOS)
        }
        #expect(throws: TokenizerError.invalidField("tokenizer.ggml.tokens", reason: "not an array of strings")) {
            try Tokenizer(gguf: Self.tinyGGUF(overrides: ["tokenizer.ggml.tokens": .string("oops")]))
        }
    }

    /// A tiny tokenizer.json equivalent to `tinyGGUF`.
    static func tinyJSON(
        preTokenizer: String = #"{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}"#,
        postProcessor: String = "null",
        model: String = #""type": "BPE""#
    ) -> Data {
        var vocab: [String] = (0...255).map { byte in
            let text = ByteLevelAlphabet.text(ofBytes: [UInt8(byte)])
            return "\(jsonString(text)): \(byte)"
        }
        vocab += [#""ab": 256"#, #""abc": 257"#]
        let json = """
            {"version": "1.0", "normalizer": null, "decoder": {"type": "ByteLevel"},
             "pre_tokenizer": \(preTokenizer), "post_processor": \(postProcessor),
             "added_tokens": [
               {"id": 258, "content": "<s>", "special": true, "lstrip": false, "rstrip": false, "single_word": false, "normalized": false},
               {"id": 259, "content": "</s>", "special": true, "lstrip": false, "rstrip": false, "single_word": false, "normalized": false}],
             "model": {\(model), "dropout": null, "unk_token": null, "ignore_merges": false,
               "vocab": {\(vocab.joined(separator: ", "))}, "merges": ["a b", ["ab", "c"]]}}
            """
        return Data(json.utf8)
    }

    private static func jsonString(_ s: String) -> String {
        String(decoding: (try? JSONEncoder().encode(s)) ?? Data(), as: UTF8.self)
    }

    @Test func tinyJSONLoadsWithBothMergeForms() throws {
        let tokenizer = try Tokenizer(tokenizerJSON: Self.tinyJSON())
        #expect(tokenizer.vocabularySize == 260)
        #expect(tokenizer.encode("abc ab<s>", parseSpecial: true) == [257, Int(UInt8(ascii: " ")), 256, 258])
        #expect(tokenizer.bos == 258 && tokenizer.eos == 259)
        #expect(tokenizer.addBOS == false)
        #expect(tokenizer.eosIds == [259])
    }

    @Test func templatePostProcessorSetsAddBOS() throws {
        let template = #"""
            {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
             "pair": [], "special_tokens": {}}
            """#
        let tokenizer = try Tokenizer(tokenizerJSON: Self.tinyJSON(postProcessor: template))
        #expect(tokenizer.addBOS && !tokenizer.addEOS)
        #expect(tokenizer.encode("ab", parseSpecial: true, addSpecialTokens: true) == [258, 256])
        let explicit = try Tokenizer(tokenizerJSON: Self.tinyJSON(), bosToken: "</s>", eosToken: "<s>")
        #expect(explicit.bos == 259 && explicit.eos == 258)
    }

    @Test func jsonErrorsNameTheProblem() {
        #expect(throws: TokenizerError.unsupportedModel("model.type = WordPiece")) {
            try Tokenizer(tokenizerJSON: Self.tinyJSON(model: #""type": "WordPiece""#))
        }
        #expect(throws: TokenizerError.unsupportedPreTokenizer("pre_tokenizer: Whitespace")) {
            try Tokenizer(tokenizerJSON: Self.tinyJSON(preTokenizer: #"{"type": "Whitespace"}"#))
        }
        let split = #"{"type": "Split", "pattern": {"Regex": "\\w+"}, "behavior": "Isolated", "invert": false}"#
        #expect(throws: TokenizerError.unsupportedPreTokenizer(#"pre_tokenizer: Split regex \w+"#)) {
            try Tokenizer(tokenizerJSON: Self.tinyJSON(preTokenizer: split))
        }
        let digitsOnly = #"{"type": "Digits", "individual_digits": true}"#
        #expect(throws: TokenizerError.unsupportedPreTokenizer("pre_tokenizer without ByteLevel (the model is not byte-level)")) {
            try Tokenizer(tokenizerJSON: Self.tinyJSON(preTokenizer: digitsOnly))
        }
        #expect(throws: TokenizerError.invalidField("bosToken", reason: "'<nope>' is not a token")) {
            try Tokenizer(tokenizerJSON: Self.tinyJSON(), bosToken: "<nope>")
        }
        #expect(throws: TokenizerError.malformedJSON("the top level is not an object")) {
            try Tokenizer(tokenizerJSON: Data("[1, 2]".utf8))
        }
        #expect(throws: TokenizerError.self) { try Tokenizer(tokenizerJSON: Data("{not json".utf8)) }
    }

    @Test func errorMessagesNameTheField() {
        let message = TokenizerError.invalidMerge(index: 7, merge: "a b", reason: "x").description
        #expect(message.contains("merge 7") && message.contains("'a b'"))
        #expect(TokenizerError.idOutOfRange(id: 9, position: 2, vocabularySize: 5).description.contains("position 2"))
    }
}
