import Foundation
import Testing

@testable import Tokenizers

/// Gemma 3's SentencePiece tokenizer, loaded from its GGUF, against llama.cpp: ids of the written
/// cases and of the shared corpus both ways, the decoding of every token, special tokens, BOS/EOS.
/// Goldens: scripts/golden_spm_tokenizer.py (its header says what each part holds).
@Suite struct SentencePieceGoldenTests {
    struct Golden: Decodable {
        struct Metadata: Decodable {
            var tokenizerModel: String
            var vocabularySize: Int
            var bos: Int
            var eos: Int
            var unknown: Int
            var addBOS: Bool
            var addEOS: Bool
            var addSpacePrefix: Bool
            var endOfGeneration: [Int]
            var specialRanges: [[Int]]
            var userDefinedRanges: [[Int]]
        }

        struct Case: Decodable {
            var text: String
            var special: [Int]
            var plain: [Int]
            /// llama.cpp's decodings (hex) where they differ from the text's UTF-8.
            var specialDecoded: String?
            var specialDecodedSkippingSpecial: String?
            var plainDecoded: String?
            var plainDecodedSkippingSpecial: String?
        }

        struct Digest: Decodable, Equatable {
            var count: Int
            var fnv1a64: String
        }

        struct CorpusFile: Decodable {
            var name: String
            var special: Digest
            var plain: Digest
        }

        struct Decoding: Decodable {
            var ids: [Int]
            var decoded: String
            var decodedSkippingSpecial: String
        }

        struct Pieces: Decodable {
            var decoded: String
            var decodedSkippingSpecial: String
        }

        var metadata: Metadata
        var cases: [Case]
        var corpus: [CorpusFile]
        var decode: [Decoding]
        var pieces: Pieces
    }

    static let goldenResult: Result<Golden, any Error> = Result {
        let url = try TestAssets.fixtures.appendingPathComponent("golden/gemma3/llamacpp.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    static func golden() throws -> Golden { try goldenResult.get() }

    @Test func casesMatchLlamaCpp() throws {
        let tokenizer = try TestAssets.gemma3()
        let golden = try Self.golden()
        #expect(golden.cases.count >= 40)
        for (index, golden) in golden.cases.enumerated() {
            for (parseSpecial, expected) in [(true, golden.special), (false, golden.plain)] {
                let actual = tokenizer.encode(golden.text, parseSpecial: parseSpecial)
                if let difference = firstDifference(actual, expected, tokenizer: tokenizer) {
                    Issue.record("case \(index) \(golden.text.debugDescription) parseSpecial \(parseSpecial): \(difference)")
                }
            }
            let text = Array(golden.text.utf8)
            let decodings = [
                (golden.special, false, golden.specialDecoded), (golden.special, true, golden.specialDecodedSkippingSpecial),
                (golden.plain, false, golden.plainDecoded), (golden.plain, true, golden.plainDecodedSkippingSpecial),
            ]
            for (ids, skip, hex) in decodings {
                let expected = try hex.map { try bytes(hex: $0) } ?? text
                #expect(try tokenizer.bytes(of: ids, skipSpecialTokens: skip) == expected, "case \(index) skip \(skip)")
            }
        }
    }

    @Test func corpusMatchesLlamaCpp() throws {
        let tokenizer = try TestAssets.gemma3()
        let golden = try Self.golden()
        #expect(golden.corpus.map(\.name) == (try TestAssets.corpusNames()))
        var compared = 0
        for file in golden.corpus {
            let text = try TestAssets.corpusText(file.name)
            for (parseSpecial, expected) in [(true, file.special), (false, file.plain)] {
                let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
                #expect(
                    Golden.Digest(count: ids.count, fnv1a64: fnv1a64(ids: ids)) == expected,
                    "\(file.name) parseSpecial \(parseSpecial) (see the ids with golden_spm_tokenizer.py --dump DIR)")
                compared += ids.count
            }
        }
        #expect(compared > 50000)
    }

    @Test func decodingMatchesLlamaCpp() throws {
        let tokenizer = try TestAssets.gemma3()
        let golden = try Self.golden()
        #expect(golden.decode.count >= 100)
        for (index, decoding) in golden.decode.enumerated() {
            #expect(try tokenizer.bytes(of: decoding.ids) == bytes(hex: decoding.decoded), "decode \(index): \(decoding.ids)")
            #expect(
                try tokenizer.bytes(of: decoding.ids, skipSpecialTokens: true) == bytes(hex: decoding.decodedSkippingSpecial),
                "decode \(index) skipping special: \(decoding.ids)")
        }
        // Every token decoded alone, hashed in id order.
        for (skip, expected) in [(false, golden.pieces.decoded), (true, golden.pieces.decodedSkippingSpecial)] {
            var hash = FNV1a64()
            for id in 0..<tokenizer.vocabularySize {
                let piece = try tokenizer.bytes(of: [id], skipSpecialTokens: skip)
                hash.add(littleEndian: UInt32(piece.count))
                hash.add(piece)
            }
            #expect(hash.hex == expected, "skipSpecialTokens \(skip)")
        }
    }

    @Test func roundTripsAndStreamsLikeWholeDecoding() throws {
        let tokenizer = try TestAssets.gemma3()
        var texts = try TestAssets.corpusNames().map(TestAssets.corpusText)
        // The one case with U+2581 in it decodes to spaces (checked against llama.cpp above).
        texts += try Self.golden().cases.map(\.text).filter { !$0.unicodeScalars.contains("\u{2581}") }
        for text in texts {
            for parseSpecial in [true, false] {
                let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
                #expect(try tokenizer.decode(ids) == text, "\(text.prefix(40).debugDescription) parseSpecial \(parseSpecial)")
                for skip in [false, true] {
                    var decoder = tokenizer.makeStreamingDecoder(skipSpecialTokens: skip)
                    var pieces: [String] = []
                    for id in ids { pieces.append(try decoder.append(id)) }
                    pieces.append(decoder.finish())
                    #expect(
                        pieces.joined() == (try tokenizer.decode(ids, skipSpecialTokens: skip)),
                        "\(text.prefix(40).debugDescription) parseSpecial \(parseSpecial) skip \(skip)")
                }
            }
        }
    }

    @Test func specialTokensAndFlagsMatchLlamaCpp() throws {
        let tokenizer = try TestAssets.gemma3()
        let metadata = try Self.golden().metadata
        #expect(metadata.tokenizerModel == "llama")
        #expect(tokenizer.vocabularySize == metadata.vocabularySize)
        #expect(tokenizer.bos == metadata.bos && tokenizer.bos == 2)
        #expect(tokenizer.eos == metadata.eos && tokenizer.eos == 1)
        #expect(tokenizer.addBOS == metadata.addBOS && tokenizer.addBOS)
        #expect(tokenizer.addEOS == metadata.addEOS && !tokenizer.addEOS)
        #expect(metadata.addSpacePrefix == false)
        // llama.cpp's end-of-generation set: <eos>, <end_of_turn>, and `</s>`, which it finds by name.
        #expect(tokenizer.eosIds == metadata.endOfGeneration)
        #expect(tokenizer.eosIds == [1, 106, 212])
        #expect(tokenizer.id(forToken: "<start_of_turn>") == 105)
        #expect(tokenizer.id(forToken: "<end_of_turn>") == 106)
        #expect(tokenizer.id(forToken: "<unk>") == metadata.unknown)

        func contains(_ ranges: [[Int]], _ id: Int) -> Bool { ranges.contains { $0[0] <= id && id <= $0[1] } }
        var special = 0, userDefined = 0
        for id in 0..<tokenizer.vocabularySize {
            let text = try #require(tokenizer.tokenText(id))
            let isSpecial = contains(metadata.specialRanges, id)
            #expect(tokenizer.isSpecial(id) == isSpecial, "id \(id)")
            if isSpecial {
                special += 1
                #expect(tokenizer.encode(text, parseSpecial: true) == [id], "special id \(id)")
                #expect(tokenizer.encode(text, parseSpecial: false) != [id], "special id \(id)")
            } else if contains(metadata.userDefinedRanges, id) {
                userDefined += 1
                #expect(tokenizer.encode(text, parseSpecial: false) == [id], "user-defined id \(id)")
            }
        }
        #expect(special > 6000 && userDefined > 100)
        #expect(tokenizer.encode("Hi", parseSpecial: true, addSpecialTokens: true) == [2] + tokenizer.encode("Hi", parseSpecial: true))
    }

    /// Tokenizing the 100 KB corpus must take well under a second in release builds.
    @Test func encodingTheCorpusIsFast() throws {
        let tokenizer = try TestAssets.gemma3()
        let text = try TestAssets.corpusNames().map(TestAssets.corpusText).joined()
        #expect(text.utf8.count >= 100_000)
        let clock = ContinuousClock()
        var ids: [Int] = []
        let elapsed = clock.measure { ids = tokenizer.encode(text, parseSpecial: true) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("gemma3: encoded \(text.utf8.count) bytes into \(ids.count) ids in \(seconds) s")
        #expect(seconds < 1.0)
    }
}

/// FNV-1a, 64 bits: the digest the golden script writes for long id lists.
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }

    mutating func add(littleEndian word: UInt32) {
        add((0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) })
    }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// The digest of ids as 4-byte little-endian words.
func fnv1a64(ids: [Int]) -> String {
    var hash = FNV1a64()
    for id in ids { hash.add(littleEndian: UInt32(id)) }
    return hash.hex
}

struct MalformedHex: Error, CustomStringConvertible {
    var description: String
}

func bytes(hex: String) throws -> [UInt8] {
    let digits = Array(hex.utf8)
    guard digits.count % 2 == 0 else { throw MalformedHex(description: "odd-length hex '\(hex)'") }
    return try stride(from: 0, to: digits.count, by: 2).map { i in
        guard let byte = UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) else {
            throw MalformedHex(description: "'\(hex)' is not hex")
        }
        return byte
    }
}
