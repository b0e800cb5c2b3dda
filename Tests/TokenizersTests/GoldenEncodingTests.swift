import Foundation
import Testing

@testable import Tokenizers

/// Token ids equal to HF `tokenizers` on the whole corpus, for the SmolLM2 vocabulary (from its
/// GGUF) and Llama 3's (from its tokenizer.json). Goldens: scripts/golden_tokenizer.py.
@Suite struct GoldenEncodingTests {
    @Test(arguments: ["smollm2", "llama3"])
    func corpusIdsMatchHF(vocabulary: String) throws {
        let tokenizer = try TestAssets.tokenizer(named: vocabulary)
        let names = try TestAssets.corpusNames()
        #expect(names.count >= 20)
        var compared = 0
        for name in names {
            let expected = try TestAssets.numbers("\(vocabulary)/\(name).ids")
            let actual = tokenizer.encode(try TestAssets.corpusText(name), parseSpecial: true)
            if let difference = firstDifference(actual, expected, tokenizer: tokenizer) {
                Issue.record("\(vocabulary)/\(name): \(difference)")
            }
            compared += expected.count
        }
        #expect(compared > 40000)
    }

    @Test(arguments: ["smollm2", "llama3"])
    func specialTokensAsPlainTextMatchHF(vocabulary: String) throws {
        let tokenizer = try TestAssets.tokenizer(named: vocabulary)
        let text = try TestAssets.corpusText("special-tokens")
        let expected = try TestAssets.numbers("\(vocabulary)/special-tokens.plain.ids")
        let actual = tokenizer.encode(text, parseSpecial: false)
        if let difference = firstDifference(actual, expected, tokenizer: tokenizer) {
            Issue.record("\(vocabulary)/special-tokens (parseSpecial false): \(difference)")
        }
        #expect(actual != tokenizer.encode(text, parseSpecial: true))
    }

    @Test func specialTokenParsingOnAndOff() throws {
        let llama3 = try TestAssets.llama3()
        let eot = try #require(llama3.id(forToken: "<|eot_id|>"))
        #expect(eot == 128009)
        #expect(llama3.encode("a<|eot_id|>", parseSpecial: true) == [64, eot])
        let plain = llama3.encode("a<|eot_id|>", parseSpecial: false)
        #expect(!plain.contains(eot))
        #expect(try llama3.decode(plain) == "a<|eot_id|>")

        let smol = try TestAssets.smolLM2()
        let imStart = try #require(smol.id(forToken: "<|im_start|>"))
        #expect(smol.encode("<|im_start|>user", parseSpecial: true).first == imStart)
        #expect(smol.encode("<|im_start|>user", parseSpecial: false).first != imStart)
    }

    @Test func bosEosFlagsFromMetadata() throws {
        let smol = try TestAssets.smolLM2()
        #expect(smol.bos == 1)
        #expect(smol.eos == 2)
        #expect(smol.addBOS == false)
        #expect(smol.addEOS == false)
        #expect(smol.eosIds == [0, 2])
        #expect(smol.vocabularySize == 49152)

        let llama3 = try TestAssets.llama3()
        #expect(llama3.bos == 128000)
        #expect(llama3.eos == 128001)
        // This tokenizer.json's post-processor is plain ByteLevel: the chat template writes BOS.
        #expect(llama3.addBOS == false)
        #expect(llama3.eosIds == [128001, 128009])
        #expect(llama3.vocabularySize == 128256)
        #expect(llama3.encode("Hi", parseSpecial: true, addSpecialTokens: true) == llama3.encode("Hi", parseSpecial: true))
    }

    /// Tokenizing the 100 KB corpus must take well under a second in release builds.
    @Test(arguments: ["smollm2", "llama3"])
    func encodingTheCorpusIsFast(vocabulary: String) throws {
        let tokenizer = try TestAssets.tokenizer(named: vocabulary)
        let text = try TestAssets.corpusNames().map(TestAssets.corpusText).joined()
        #expect(text.utf8.count >= 100_000)
        let clock = ContinuousClock()
        var ids: [Int] = []
        let elapsed = clock.measure { ids = tokenizer.encode(text, parseSpecial: true) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("\(vocabulary): encoded \(text.utf8.count) bytes into \(ids.count) ids in \(seconds) s")
        #expect(seconds < 1.0)
    }
}
