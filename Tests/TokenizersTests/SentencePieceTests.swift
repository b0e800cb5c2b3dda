import Foundation
import Formats
import Testing

@testable import Tokenizers

/// SentencePiece on a tiny vocabulary built here (no model file): score-ordered merging, `<0xNN>`
/// byte fallback, unknown bytes, the U+2581 space marker, `add_space_prefix`, added tokens split
/// longest first, llama.cpp's token attributes and defaults. The same vocabulary, run through
/// llama.cpp, gives the goldens `tinyVocabularyMatchesLlamaCpp` checks
/// (scripts/golden_spm_tokenizer.py, `TINY_TOKENS`).
@Suite struct SentencePieceTests {
    /// (text, token type, score) by id: 0 `<unk>` (unknown), 1 `<s>`, 2 `</s>` (control),
    /// 3...258 `<0x00>`...`<0xFF>` (byte), then scored normal tokens, user-defined `<tool>`, `wx`,
    /// `xyz`, `<end_of_turn>`, and unused `<unused>`.
    static let tinyTokens: [(text: String, type: Int32, score: Float)] =
        [("<unk>", 2, 0), ("<s>", 3, 0), ("</s>", 3, 0)]
        + (0...255).map { (String(format: "<0x%02X>", $0), 6, 0) }
        + [
            ("\u{2581}", 1, -1), ("a", 1, -2), ("b", 1, -3), ("c", 1, -4), ("ab", 1, -6), ("bc", 1, -5),
            ("\u{2581}a", 1, -8), ("\u{2581}ab", 1, -7), ("aa", 1, -9), ("<tool>", 4, 0), ("wx", 4, 0),
            ("xyz", 4, 0), ("w", 1, -10), ("<end_of_turn>", 4, 0), ("<unused>", 5, 0),
        ]

    static func id(_ text: String) -> Int { tinyTokens.firstIndex { $0.text == text } ?? -1 }
    static func byte(_ value: UInt8) -> Int { 3 + Int(value) }

    /// The tiny vocabulary's metadata; `addSpacePrefix` nil leaves the key out.
    static func tinySPM(
        addSpacePrefix: Bool? = false, tokens: [(text: String, type: Int32, score: Float)] = tinyTokens,
        overrides: [String: GGUFValue] = [:]
    ) -> [String: GGUFValue] {
        var metadata: [String: GGUFValue] = [
            "tokenizer.ggml.model": .string("llama"),
            "tokenizer.ggml.tokens": .array(tokens.map { .string($0.text) }),
            "tokenizer.ggml.token_type": .array(tokens.map { .int32($0.type) }),
            "tokenizer.ggml.scores": .array(tokens.map { .float32($0.score) }),
        ]
        if let addSpacePrefix { metadata["tokenizer.ggml.add_space_prefix"] = .bool(addSpacePrefix) }
        for (key, value) in overrides { metadata[key] = value }
        return metadata
    }

    static func tiny(addSpacePrefix: Bool? = false) throws -> Tokenizer {
        try Tokenizer(gguf: tinySPM(addSpacePrefix: addSpacePrefix))
    }

    @Test func scoresDecideTheMergeOrder() throws {
        let tokenizer = try Self.tiny()
        // "bc" (-5) outscores "ab" (-6): a|bc, and "abc" is no token.
        #expect(tokenizer.encode("abc", parseSpecial: true) == [Self.id("a"), Self.id("bc")])
        var swapped = Self.tinyTokens
        swapped[Self.id("ab")].score = -4.5
        let other = try Tokenizer(gguf: Self.tinySPM(tokens: swapped))
        #expect(other.encode("abc", parseSpecial: true) == [Self.id("ab"), Self.id("c")])
        // Equal scores: the leftmost pair first.
        #expect(tokenizer.encode("aaa", parseSpecial: true) == [Self.id("aa"), Self.id("a")])
        #expect(tokenizer.encode("aaaa", parseSpecial: true) == [Self.id("aa"), Self.id("aa")])
        // "ab" (-6) merges before "▁a" (-8), then the merged symbol merges again into "▁ab".
        #expect(tokenizer.encode(" ab", parseSpecial: true) == [Self.id("\u{2581}ab")])
    }

    @Test func charactersMissingFromTheVocabularyFallBackToByteTokens() throws {
        let tokenizer = try Self.tiny()
        let ids = tokenizer.encode("ab\u{E9}c", parseSpecial: true)
        #expect(ids == [Self.id("ab"), Self.byte(0xC3), Self.byte(0xA9), Self.id("c")])
        #expect(try tokenizer.decode(ids) == "ab\u{E9}c")
        #expect(tokenizer.encode("z\n", parseSpecial: true) == [Self.byte(0x7A), Self.byte(0x0A)])
        #expect(tokenizer.tokenBytes(Self.byte(0xFF)) == [0xFF])
        #expect(tokenizer.tokenText(Self.byte(0x0A)) == "<0x0A>")
        // A byte token's text in the input is plain text.
        #expect(!tokenizer.encode("<0x61>", parseSpecial: true).contains(Self.byte(0x61)))
        // Streaming holds a character's first byte back until its last one arrives.
        var decoder = tokenizer.makeStreamingDecoder()
        #expect(try decoder.append(Self.byte(0xC3)) == "")
        #expect(try decoder.append(Self.byte(0xA9)) == "\u{E9}")
    }

    @Test func withoutByteTokensAMissingByteBecomesTheUnknownToken() throws {
        // llama.cpp throws here (std::out_of_range); the unknown token keeps the text's place.
        let tokens = Self.tinyTokens.filter { $0.type != 6 }
        let tokenizer = try Tokenizer(gguf: Self.tinySPM(tokens: tokens))
        let a = try #require(tokenizer.id(forToken: "a"))
        #expect(tokenizer.encode("a\u{E9}", parseSpecial: true) == [a, 0, 0])
        let noUnknown = try Tokenizer(gguf: Self.tinySPM(
            tokens: tokens, overrides: ["tokenizer.ggml.unknown_token_id": .uint32(1)]))
        #expect(noUnknown.encode("a\u{E9}", parseSpecial: true) == [a, 1, 1])
    }

    @Test func spacesAreWrittenAsTheMarker() throws {
        let tokenizer = try Self.tiny()
        let markedAB = Self.id("\u{2581}ab")
        #expect(tokenizer.tokenText(markedAB) == "\u{2581}ab")
        #expect(tokenizer.tokenBytes(markedAB) == Array(" ab".utf8))
        #expect(tokenizer.encode("a  b", parseSpecial: true) == [Self.id("a"), Self.id("\u{2581}"), Self.id("\u{2581}"), Self.id("b")])
        // A marker in the input is the same as a space, and decodes to one (as in llama.cpp).
        #expect(tokenizer.encode("\u{2581}ab", parseSpecial: true) == [markedAB])
        #expect(try tokenizer.decode([markedAB, markedAB]) == " ab ab")
        // Only U+0020 is a space: a tab is a character of its own (here a byte token).
        #expect(tokenizer.encode("\tab", parseSpecial: true) == [Self.byte(0x09), Self.id("ab")])
    }

    @Test func addSpacePrefixPutsASpaceBeforeEachTextFragment() throws {
        // llama.cpp's default when the key is absent is true.
        let tokenizer = try Self.tiny(addSpacePrefix: nil)
        let markedAB = Self.id("\u{2581}ab"), s = Self.id("<s>")
        #expect(tokenizer.encode("ab", parseSpecial: true) == [markedAB])
        #expect(tokenizer.encode("ab<s>ab", parseSpecial: true) == [markedAB, s, markedAB])
        #expect(tokenizer.encode("", parseSpecial: true) == [])
        // A user-defined token is split out too, so the text after it gets a space as well.
        #expect(tokenizer.encode("a<tool>b", parseSpecial: false)
            == [Self.id("\u{2581}a"), Self.id("<tool>"), Self.id("\u{2581}"), Self.id("b")])
        // Decoding drops the first token's leading space, the one encoding added, and no other.
        #expect(try tokenizer.decode([markedAB, markedAB]) == "ab ab")
        #expect(try tokenizer.decode([s, markedAB]) == "<s> ab")
        #expect(try tokenizer.decode([s, markedAB], skipSpecialTokens: true) == " ab")
        #expect(try tokenizer.decode(tokenizer.encode("ab<s>ab", parseSpecial: false)) == "ab<s>ab")
        for skip in [false, true] {
            let ids = [markedAB, s, markedAB, Self.byte(0xC3), Self.byte(0xA9)]
            var decoder = tokenizer.makeStreamingDecoder(skipSpecialTokens: skip)
            var pieces = try ids.map { try decoder.append($0) }
            pieces.append(decoder.finish())
            #expect(pieces.joined() == (try tokenizer.decode(ids, skipSpecialTokens: skip)))
        }
        let without = try Self.tiny(addSpacePrefix: false)
        #expect(without.encode("ab", parseSpecial: true) == [Self.id("ab")])
        #expect(try without.decode([markedAB]) == " ab")
    }

    @Test func addedTokensAreSplitOutLongestFirst() throws {
        let tokenizer = try Self.tiny()
        // "xyz" (3 bytes) is taken before "wx" (2), though "wx" starts further left.
        #expect(tokenizer.encode("wxyz", parseSpecial: false) == [Self.id("w"), Self.id("xyz")])
        #expect(tokenizer.encode("wxwx", parseSpecial: false) == [Self.id("wx"), Self.id("wx")])
        var matcher = AddedTokenMatcher()
        matcher.add(content: "wx", id: 0, isSpecial: false)
        matcher.add(content: "xyz", id: 1, isSpecial: false)
        matcher.add(content: "<c>", id: 2, isSpecial: true)
        let bytes = Array("wxyz<c>".utf8)
        #expect(matcher.longestMatch(in: bytes, at: 0)?.id == 0)
        let splitter = LongestFirstTokenSplitter(matcher)
        #expect(splitter.split(bytes, parseSpecial: true) == [.text(0..<1), .token(1), .token(2)])
        #expect(splitter.split(bytes, parseSpecial: false) == [.text(0..<1), .token(1), .text(4..<7)])
        #expect(splitter.split([], parseSpecial: true) == [])
        // Control tokens only with parseSpecial; user-defined ones always.
        let s = Self.id("<s>")
        #expect(tokenizer.encode("<s>ab", parseSpecial: true) == [s, Self.id("ab")])
        #expect(!tokenizer.encode("<s>ab", parseSpecial: false).contains(s))
        #expect(tokenizer.encode("a<tool>b", parseSpecial: false) == [Self.id("a"), Self.id("<tool>"), Self.id("b")])
    }

    @Test func tokenTypesDecideSpecialnessAndDecoding() throws {
        let tokenizer = try Self.tiny()
        let endOfTurn = Self.id("<end_of_turn>"), unused = Self.id("<unused>")
        #expect(tokenizer.isSpecial(0) && tokenizer.isSpecial(1) && tokenizer.isSpecial(2))
        #expect(!tokenizer.isSpecial(Self.id("<tool>")) && !tokenizer.isSpecial(Self.byte(0x41)))
        // A user-defined token named like an end of turn becomes control and ends generation.
        #expect(tokenizer.isSpecial(endOfTurn))
        #expect(tokenizer.eosIds == [2, endOfTurn])
        #expect(tokenizer.encode("<end_of_turn>", parseSpecial: true) == [endOfTurn])
        #expect(!tokenizer.encode("<end_of_turn>", parseSpecial: false).contains(endOfTurn))
        #expect(try tokenizer.decode([endOfTurn, Self.id("<tool>")]) == "<end_of_turn><tool>")
        #expect(try tokenizer.decode([endOfTurn, Self.id("<tool>")], skipSpecialTokens: true) == "<tool>")
        // Unused tokens decode to nothing and are never split out.
        #expect(tokenizer.tokenBytes(unused) == [])
        #expect(try tokenizer.decode([unused, Self.id("a")]) == "a")
        #expect(!tokenizer.encode("<unused>", parseSpecial: true).contains(unused))
    }

    @Test func llamaCppDefaultsWhenKeysAreAbsent() throws {
        let tokenizer = try Self.tiny(addSpacePrefix: nil)
        #expect(tokenizer.bos == 1 && tokenizer.eos == 2)
        #expect(tokenizer.addBOS && !tokenizer.addEOS)
        #expect(tokenizer.encode("ab", parseSpecial: true, addSpecialTokens: true) == [1, Self.id("\u{2581}ab")])
        let flagged = try Tokenizer(gguf: Self.tinySPM(overrides: [
            "tokenizer.ggml.bos_token_id": .uint32(2), "tokenizer.ggml.eos_token_id": .uint32(1),
            "tokenizer.ggml.add_bos_token": .bool(false), "tokenizer.ggml.add_eos_token": .bool(true),
        ]))
        #expect(flagged.bos == 2 && flagged.eos == 1 && !flagged.addBOS && flagged.addEOS)
        #expect(flagged.encode("ab", parseSpecial: true, addSpecialTokens: true) == [Self.id("ab"), 1])
        // No scores: every token scores 0, so merging goes left to right.
        var unscored = Self.tinySPM()
        unscored["tokenizer.ggml.scores"] = nil
        #expect(try Tokenizer(gguf: unscored).encode("abc", parseSpecial: true) == [Self.id("ab"), Self.id("c")])
    }

    @Test func malformedVocabulariesAreErrorsNamingTheProblem() {
        var tokens = Self.tinyTokens
        tokens[Self.byte(0x41)].text = "<0xG1>"
        #expect(throws: TokenizerError.invalidField("tokenizer.ggml.tokens", reason: "byte token 68 is '<0xG1>', not <0xNN>")) {
            try Tokenizer(gguf: Self.tinySPM(tokens: tokens))
        }
        #expect(throws: TokenizerError.invalidField("tokenizer.ggml.scores", reason: "2 entries for 274 tokens")) {
            try Tokenizer(gguf: Self.tinySPM(overrides: ["tokenizer.ggml.scores": .array([.float32(0), .float32(0)])]))
        }
        #expect(throws: TokenizerError.invalidField("tokenizer.ggml.scores", reason: "entry 0 is not a number")) {
            try Tokenizer(gguf: Self.tinySPM(overrides: ["tokenizer.ggml.scores": .array([.string("x")])]))
        }
        #expect(throws: TokenizerError.duplicateToken("a", index: 274)) {
            try Tokenizer(gguf: Self.tinySPM(tokens: Self.tinyTokens + [("a", 1, 0)]))
        }
        #expect(throws: TokenizerError.invalidField("tokenizer.ggml.token_type", reason: "entry 0 is 9, not 1...6")) {
            var types = Self.tinyTokens.map { GGUFValue.int32($0.type) }
            types[0] = .int32(9)
            return try Tokenizer(gguf: Self.tinySPM(overrides: ["tokenizer.ggml.token_type": .array(types)]))
        }
        #expect(throws: TokenizerError.invalidField("bos token id", reason: "999 is outside 0..<274")) {
            try Tokenizer(gguf: Self.tinySPM(overrides: ["tokenizer.ggml.bos_token_id": .uint32(999)]))
        }
    }

    // MARK: Against llama.cpp

    struct TinyGolden: Decodable {
        struct Case: Decodable {
            var text: String
            var special: [Int]
            var plain: [Int]
        }

        struct Decoding: Decodable {
            var ids: [Int]
            var decoded: String
            var decodedSkippingSpecial: String
        }

        struct Variant: Decodable {
            var addSpacePrefixKey: Bool?
            var bos: Int
            var eos: Int
            var addBOS: Bool
            var endOfGeneration: [Int]
            var cases: [Case]
            var decode: [Decoding]
        }

        /// (text, type, score) per id.
        var tokens: [[TokenField]]
        var variants: [Variant]
    }

    enum TokenField: Decodable, Equatable {
        case text(String), number(Double)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .number(try container.decode(Double.self))
            }
        }
    }

    @Test func tinyVocabularyMatchesLlamaCpp() throws {
        let url = try TestAssets.fixtures.appendingPathComponent("golden/tiny-spm/llamacpp.json")
        let golden = try JSONDecoder().decode(TinyGolden.self, from: Data(contentsOf: url))
        #expect(golden.tokens == Self.tinyTokens.map { [.text($0.text), .number(Double($0.type)), .number(Double($0.score))] })
        #expect(golden.variants.count == 2)
        for variant in golden.variants {
            let tokenizer = try Self.tiny(addSpacePrefix: variant.addSpacePrefixKey)
            let name = "add_space_prefix \(variant.addSpacePrefixKey.map(String.init) ?? "absent")"
            #expect(tokenizer.bos == variant.bos && tokenizer.eos == variant.eos && tokenizer.addBOS == variant.addBOS, "\(name)")
            #expect(tokenizer.eosIds == variant.endOfGeneration, "\(name)")
            for golden in variant.cases {
                #expect(tokenizer.encode(golden.text, parseSpecial: true) == golden.special, "\(name): \(golden.text.debugDescription)")
                #expect(tokenizer.encode(golden.text, parseSpecial: false) == golden.plain, "\(name): \(golden.text.debugDescription) plain")
            }
            for decoding in variant.decode {
                #expect(try tokenizer.bytes(of: decoding.ids) == bytes(hex: decoding.decoded), "\(name): \(decoding.ids)")
                #expect(
                    try tokenizer.bytes(of: decoding.ids, skipSpecialTokens: true) == bytes(hex: decoding.decodedSkippingSpecial),
                    "\(name): \(decoding.ids) skipping special")
            }
        }
    }
}
