import Foundation
import Testing

@testable import Tokenizers

/// Decoding: byte-exact round trips, HF's U+FFFD replacement for ill-formed UTF-8, and a
/// streaming decoder that never emits half a character.
@Suite struct DecodingTests {
    struct DecodeCase: Decodable {
        var ids: [Int]
        var text: String
    }

    @Test(arguments: ["smollm2", "llama3"])
    func decodeMatchesHF(vocabulary: String) throws {
        let tokenizer = try TestAssets.tokenizer(named: vocabulary)
        let data = try Data(contentsOf: TestAssets.fixtures.appendingPathComponent("golden/\(vocabulary)/decode.json"))
        let cases = try JSONDecoder().decode([DecodeCase].self, from: data)
        #expect(cases.count >= 100)
        for (index, golden) in cases.enumerated() {
            let text = try tokenizer.decode(golden.ids)
            #expect(text == golden.text, "case \(index): ids \(golden.ids)")
        }
    }

    @Test(arguments: ["smollm2", "llama3"])
    func roundTripIsByteExact(vocabulary: String) throws {
        let tokenizer = try TestAssets.tokenizer(named: vocabulary)
        for name in try TestAssets.corpusNames() {
            let text = try TestAssets.corpusText(name)
            // SmolLM2 lacks a few control-character bytes, which BPE drops (as HF does).
            let kept = vocabulary == "smollm2" ? droppingBytesMissingFrom(tokenizer, text) : Array(text.utf8)
            for parseSpecial in [true, false] {
                let bytes = try tokenizer.bytes(of: tokenizer.encode(text, parseSpecial: parseSpecial))
                #expect(bytes == kept, "\(vocabulary)/\(name) parseSpecial \(parseSpecial)")
            }
        }
    }

    @Test(arguments: ["smollm2", "llama3"])
    func streamingEqualsWholeDecodeAndNeverSplitsACharacter(vocabulary: String) throws {
        let tokenizer = try TestAssets.tokenizer(named: vocabulary)
        for name in ["chinese", "emoji", "indic", "japanese", "korean", "unicode-stress", "special-tokens"] {
            let ids = tokenizer.encode(try TestAssets.corpusText(name), parseSpecial: true)
            var decoder = tokenizer.makeStreamingDecoder()
            var pieces: [String] = []
            for id in ids { pieces.append(try decoder.append(id)) }
            pieces.append(decoder.finish())
            #expect(pieces.joined() == (try tokenizer.decode(ids)), "\(vocabulary)/\(name)")
            // A character cut in half would show up as U+FFFD in the piece; the corpus has none.
            #expect(!pieces.contains { $0.unicodeScalars.contains("\u{FFFD}") }, "\(vocabulary)/\(name)")
        }
    }

    @Test func streamingHoldsBackOnlyCompletableSequences() throws {
        let tokenizer = try TestAssets.llama3()
        let byteToken = { (byte: UInt8) throws -> Int in
            try #require(tokenizer.id(forToken: ByteLevelAlphabet.text(ofBytes: [byte])))
        }
        var decoder = tokenizer.makeStreamingDecoder()
        // "€" is E2 82 AC: nothing until the last byte.
        #expect(try decoder.append(byteToken(0xE2)) == "")
        #expect(try decoder.append(byteToken(0x82)) == "")
        #expect(try decoder.append(byteToken(0xAC)) == "€")
        // E0 80 can never be well-formed: both bytes are replaced at once, not held.
        #expect(try decoder.append(byteToken(0xE0)) == "")
        #expect(try decoder.append(byteToken(0x80)) == "\u{FFFD}\u{FFFD}")
        // An unfinished character at the end becomes U+FFFD on finish.
        #expect(try decoder.append(byteToken(0xF0)) == "")
        #expect(try decoder.append(byteToken(0x9F)) == "")
        #expect(decoder.finish() == "\u{FFFD}")
    }

    @Test func streamingMatchesWholeDecodeOnRandomByteTokens() throws {
        let tokenizer = try TestAssets.llama3()
        var generator = SplitMix64(seed: 11)
        let interesting: [UInt8] = [0x41, 0x80, 0xA0, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F]
        let ids = try interesting.map { try #require(tokenizer.id(forToken: ByteLevelAlphabet.text(ofBytes: [$0]))) }
        for _ in 0..<500 {
            let sequence = (0..<Int.random(in: 1...10, using: &generator)).map { _ in ids.randomElement(using: &generator) ?? 0 }
            var decoder = tokenizer.makeStreamingDecoder()
            var text = ""
            for id in sequence { text += try decoder.append(id) }
            text += decoder.finish()
            #expect(text == (try tokenizer.decode(sequence)), "ids \(sequence)")
        }
    }

    @Test func decodeRejectsUnknownIds() throws {
        let tokenizer = try TestAssets.smolLM2()
        #expect(throws: TokenizerError.idOutOfRange(id: 49152, position: 1, vocabularySize: 49152)) {
            try tokenizer.decode([5, 49152])
        }
        #expect(throws: TokenizerError.idOutOfRange(id: -1, position: 0, vocabularySize: 49152)) {
            var decoder = tokenizer.makeStreamingDecoder()
            _ = try decoder.append(-1)
        }
        #expect(tokenizer.tokenBytes(49152) == nil)
        #expect(tokenizer.tokenText(-3) == nil)
    }

    @Test func tokenBytesAndTextLookups() throws {
        let tokenizer = try TestAssets.llama3()
        let the = try #require(tokenizer.id(forToken: "Ġthe"))
        #expect(tokenizer.tokenBytes(the) == Array(" the".utf8))
        #expect(tokenizer.tokenText(the) == "Ġthe")
        let digits = (1...6).map { tokenizer.id(forToken: String($0)) }
        #expect(digits.allSatisfy { $0 != nil })
        #expect(digits.compactMap { $0.flatMap(tokenizer.tokenBytes) } == (1...6).map { Array(String($0).utf8) })
        #expect(tokenizer.tokenBytes(128009) == Array("<|eot_id|>".utf8))
        #expect(try tokenizer.decode([128000, 9906], skipSpecialTokens: true) == "Hello")
    }

    private func droppingBytesMissingFrom(_ tokenizer: Tokenizer, _ text: String) -> [UInt8] {
        let present = Set((0...255).filter { tokenizer.id(forToken: ByteLevelAlphabet.text(ofBytes: [UInt8($0)])) != nil })
        return text.utf8.filter { present.contains(Int($0)) }
    }
}

/// A small seeded generator so random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
