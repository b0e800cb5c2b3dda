import Testing

@testable import Tokenizers

/// Each pre-tokenizer scanner splits the corpus exactly where HF `tokenizers` does (its
/// `pre_tokenize_str`; goldens hold piece lengths in Unicode scalars).
@Suite struct PreTokenizerGoldenTests {
    static let scanners: [String: any PreTokenizer] = [
        "gpt2": GPT2PatternScanner(),
        "smollm": PreTokenizerSequence(stages: [IndividualDigitSplitter(), GPT2PatternScanner()]),
        "llama3": Llama3PatternScanner(maxDigits: 3, caseInsensitiveFolding: true),
        "qwen2": Llama3PatternScanner(maxDigits: 1, caseInsensitiveFolding: true),
    ]

    @Test(arguments: ["gpt2", "smollm", "llama3", "qwen2"])
    func corpusSplitsMatchHF(name: String) throws {
        let scanner = try #require(Self.scanners[name])
        for corpus in try TestAssets.corpusNames() {
            let text = try TestAssets.corpusText(corpus)
            let expected = try TestAssets.numbers("pretokenize/\(name)/\(corpus).splits")
            let actual = lengths(scanner, text)
            guard actual != expected else { continue }
            let k = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actual.count, expected.count)
            let scalars = Array(text.unicodeScalars)
            let offset = expected.prefix(k).reduce(0, +)
            let context = String(String.UnicodeScalarView(scalars[offset..<min(offset + 12, scalars.count)]))
            Issue.record("""
                \(name)/\(corpus): piece \(k) at scalar \(offset) differs: swift \(Array(actual[k...].prefix(4))) \
                golden \(Array(expected[k...].prefix(4))), text \(context.debugDescription)
                """)
        }
    }

    @Test func llama3PatternOnKnownCases() {
        let llama3 = Llama3PatternScanner(maxDigits: 3, caseInsensitiveFolding: true)
        #expect(pieces(llama3, "x 12345 \t\tword") == ["x", " ", "123", "45", " \t", "\tword"])
        #expect(pieces(llama3, "I'M here") == ["I", "'M", " here"])
        #expect(pieces(llama3, "'ſx") == ["'ſ", "x"])
        #expect(pieces(llama3, "\r\n\r\n  x") == ["\r\n\r\n", " ", " x"])
        #expect(pieces(llama3, "a\u{301}bc") == ["a", "\u{301}bc"])
        let spelledOut = Llama3PatternScanner(maxDigits: 3, caseInsensitiveFolding: false)
        // Without (?i) folding the apostrophe binds to the letters as a leading symbol.
        #expect(pieces(spelledOut, "'ſx") == ["'ſx"])
    }

    @Test func gpt2PatternOnKnownCases() {
        let gpt2 = GPT2PatternScanner()
        #expect(pieces(gpt2, "I'M here's  it") == ["I", "'", "M", " here", "'s", " ", " it"])
        #expect(pieces(gpt2, "a 12!? \n") == ["a", " 12", "!?", " \n"])
        let smollm = PreTokenizerSequence(stages: [IndividualDigitSplitter(), GPT2PatternScanner()])
        #expect(pieces(smollm, "a  12x") == ["a", "  ", "1", "2", "x"])
    }

    private func lengths(_ scanner: any PreTokenizer, _ text: String) -> [Int] {
        let classified = ClassifiedText(Array(text.utf8)[...])
        var ends: [Int] = []
        scanner.split(classified, 0..<classified.count, into: &ends)
        var start = 0
        return ends.map { end in
            defer { start = end }
            return end - start
        }
    }

    private func pieces(_ scanner: any PreTokenizer, _ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var start = 0
        return lengths(scanner, text).map { length in
            defer { start += length }
            return String(String.UnicodeScalarView(scalars[start..<(start + length)]))
        }
    }
}
