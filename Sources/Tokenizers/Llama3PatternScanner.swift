/// The Llama 3 pre-tokenizer pattern (tiktoken's cl100k form; HF `Split` regex, llama.cpp
/// `llama-bpe`), and Qwen2's, which differs only in taking numbers one digit at a time:
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}
///     | ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// Alternatives are tried in order at each position, as a backtracking regex engine does; every
/// character matches one of them, so the pieces tile the text.
struct Llama3PatternScanner: PreTokenizer {
    /// The `n` of `\p{N}{1,n}`: 3 for Llama 3, 1 for Qwen2.
    let maxDigits: Int
    /// True for `(?i:'s|...)` (which also folds U+017F to `s`); false for the spelled-out
    /// `'[sS]|...` form llama.cpp uses for Qwen2.
    let caseInsensitiveFolding: Bool

    func split(_ text: ClassifiedText, _ range: Range<Int>, into ends: inout [Int]) {
        var i = range.lowerBound
        while i < range.upperBound {
            i = matchEnd(text, at: i, end: range.upperBound)
            ends.append(i)
        }
    }

    private func matchEnd(_ text: ClassifiedText, at i: Int, end: Int) -> Int {
        let classes = text.classes
        if let e = PatternPieces.contraction(text, at: i, end: end, caseInsensitive: true) {
            if caseInsensitiveFolding || text.scalars[i + 1] != "\u{017F}" { return e }
        }
        let c = classes[i]
        // `[^\r\n\p{L}\p{N}]?\p{L}+`: one leading space or symbol binds to the letters after it.
        if c == .letter {
            return PatternPieces.run(of: .letter, in: text, from: i, end: end)
        }
        if (c == .space || c == .other) && i + 1 < end && classes[i + 1] == .letter {
            return PatternPieces.run(of: .letter, in: text, from: i + 1, end: end)
        }
        // `\p{N}{1,n}`
        if c == .number {
            var e = i + 1
            while e < end && e - i < maxDigits && classes[e] == .number { e += 1 }
            return e
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        let afterSpace = text.scalars[i] == " " && i + 1 < end ? i + 1 : i
        if classes[afterSpace] == .other {
            let e = PatternPieces.run(of: .other, in: text, from: afterSpace, end: end)
            return PatternPieces.run(of: .newline, in: text, from: e, end: end)
        }
        // `\s*[\r\n]+`: whitespace up to and including the run's last line break.
        let runEnd = PatternPieces.whitespaceRunEnd(text, from: i, end: end)
        var lastBreak = runEnd - 1
        while lastBreak >= i && classes[lastBreak] != .newline { lastBreak -= 1 }
        if lastBreak >= i { return lastBreak + 1 }
        // `\s+(?!\S)|\s+`
        return PatternPieces.whitespaceEnd(text, at: i, end: end)
    }
}
