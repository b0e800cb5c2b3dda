import Testing

@testable import Tokenizers

/// The heap-based SentencePiece merger and its quadratic reference twin agree.
@Suite struct SentencePieceMergerTests {
    @Test func fastMergerMatchesReferenceOnRandomVocabularies() throws {
        var generator = SplitMix64(seed: 5)
        let alphabet = ["a", "b", "c", "\u{2581}", "\u{E9}"]
        for _ in 0..<200 {
            // Random tokens of 1-4 letters; scores from a small set, so ties are common.
            var texts = alphabet.filter { _ in Bool.random(using: &generator) }
            for _ in 0..<Int.random(in: 1...30, using: &generator) {
                let token = (0..<Int.random(in: 2...4, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "a" }.joined()
                if !texts.contains(token) { texts.append(token) }
            }
            let scores = texts.map { _ in Float(Int.random(in: -5...0, using: &generator)) }
            let vocabulary = try SentencePieceVocabulary(texts: texts, scores: scores)
            for _ in 0..<20 {
                let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "a" }.joined()
                let bytes = Array(text.utf8)
                #expect(
                    SentencePieceMerger.merge(bytes, vocabulary: vocabulary)
                        == SentencePieceMergerReference.merge(bytes, vocabulary: vocabulary),
                    "\(text.debugDescription) over \(texts)")
            }
        }
    }

    @Test func equalScoresMergeLeftmostFirst() throws {
        let vocabulary = try SentencePieceVocabulary(texts: ["a", "aa"], scores: [0, -1])
        let text = Array("aaa".utf8)
        #expect(SentencePieceMerger.merge(text, vocabulary: vocabulary) == [0..<2, 2..<3])
        #expect(SentencePieceMergerReference.merge(text, vocabulary: vocabulary) == [0..<2, 2..<3])
        #expect(SentencePieceMerger.merge(Array("aaaaa".utf8), vocabulary: vocabulary) == [0..<2, 2..<4, 4..<5])
    }

    @Test func fastMergerMatchesReferenceOnTheCorpus() throws {
        let tokenizer = try TestAssets.gemma3()
        let vocabulary = try #require(tokenizer.sentencePiece).model.vocabulary
        var lines = 0
        for name in try TestAssets.corpusNames() {
            // Line by line: the reference is quadratic in the length of its text.
            for line in try TestAssets.corpusText(name).split(separator: "\n") {
                let text = SentencePieceModel.escapingSpaces(Array(line.utf8)[...], prefixSpace: false)
                let fast = SentencePieceMerger.merge(text, vocabulary: vocabulary)
                let reference = SentencePieceMergerReference.merge(text, vocabulary: vocabulary)
                if fast != reference {
                    Issue.record("gemma3/\(name) line \(line.prefix(40).debugDescription): \(fast) vs \(reference)")
                    return
                }
                lines += 1
            }
        }
        #expect(lines > 1000)
    }
}
