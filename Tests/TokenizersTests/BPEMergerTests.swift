import Testing

@testable import Tokenizers

/// The heap-based merger and its quadratic reference twin agree.
@Suite struct BPEMergerTests {
    @Test func fastMergerMatchesReferenceOnRandomTables() {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<200 {
            // A random table over a 6-letter alphabet whose merged ids never collide with symbols.
            var rules = BPEMergeTable()
            var nextId: Int32 = 6
            var known: [Int32] = Array(0..<6)
            for rank in 0..<Int.random(in: 1...40, using: &generator) {
                let left = known.randomElement(using: &generator) ?? 0
                let right = known.randomElement(using: &generator) ?? 0
                if rules.add(left: left, right: right, rule: .init(rank: Int32(rank), merged: nextId)) {
                    known.append(nextId)
                    nextId += 1
                }
            }
            for _ in 0..<20 {
                let word = (0..<Int.random(in: 0...30, using: &generator)).map { _ in Int32.random(in: 0..<6, using: &generator) }
                #expect(BPEMerger.merge(word, rules: rules) == BPEMergerReference.merge(word, rules: rules), "word \(word)")
            }
        }
    }

    @Test func equalRanksMergeLeftmostFirst() {
        var rules = BPEMergeTable()
        rules.add(left: 0, right: 0, rule: .init(rank: 0, merged: 1))
        // "aaa" -> "aa" "a", not "a" "aa".
        #expect(BPEMerger.merge([0, 0, 0], rules: rules) == [1, 0])
        #expect(BPEMergerReference.merge([0, 0, 0], rules: rules) == [1, 0])
        #expect(BPEMerger.merge([0, 0, 0, 0, 0], rules: rules) == [1, 1, 0])
    }

    @Test(arguments: ["smollm2", "llama3"])
    func fastMergerMatchesReferenceOnTheCorpus(vocabulary: String) throws {
        let tokenizer = try TestAssets.tokenizer(named: vocabulary)
        let encoder = try #require(tokenizer.byteLevelBPE)
        let model = encoder.model
        var words = 0
        for name in try TestAssets.corpusNames() {
            let bytes = Array(try TestAssets.corpusText(name).utf8)
            for range in encoder.preTokenize(bytes) {
                let symbols = model.symbols(of: bytes[range])
                let fast = BPEMerger.merge(symbols, rules: model.rules)
                let reference = BPEMergerReference.merge(symbols, rules: model.rules)
                if fast != reference {
                    Issue.record("\(vocabulary)/\(name) bytes \(range): \(fast) vs \(reference)")
                    return
                }
                words += 1
            }
        }
        #expect(words > 20000)
    }
}
