/// The GPT-2 pre-tokenizer pattern (HF `ByteLevel(use_regex=true)`, llama.cpp `gpt-2`):
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// Alternatives are tried in order at each position, as a backtracking regex engine does; every
/// character matches one of them, so the pieces tile the text.
struct GPT2PatternScanner: PreTokenizer {
    func split(_ text: ClassifiedText, _ range: Range<Int>, into ends: inout [Int]) {
        var i = range.lowerBound
        while i < range.upperBound {
            i = matchEnd(text, at: i, end: range.upperBound)
            ends.append(i)
        }
    }

    private func matchEnd(_ text: ClassifiedText, at i: Int, end: Int) -> Int {
        let classes = text.classes
        if let e = PatternPieces.contraction(text, at: i, end: end, caseInsensitive: false) {
            return e
        }
        // ` ?X+` for X in letters, numbers, others: the optional space binds to the run after it.
        let afterSpace = text.scalars[i] == " " && i + 1 < end ? i + 1 : i
        for wanted in [ScalarClass.letter, .number, .other] {
            if classes[afterSpace] == wanted {
                return PatternPieces.run(of: wanted, in: text, from: afterSpace, end: end)
            }
            if afterSpace != i && classes[i] == wanted {
                return PatternPieces.run(of: wanted, in: text, from: i, end: end)
            }
        }
        // Whitespace: `\s+(?!\S)` keeps the last space for the next word; `\s+` otherwise.
        return PatternPieces.whitespaceEnd(text, at: i, end: end)
    }
}

/// Pieces of pattern shared by the GPT-2 and Llama 3 scanners.
enum PatternPieces {
    /// `'s|'t|'re|'ve|'m|'ll|'d`: the end of a contraction at `i`, or nil. Case-insensitive as
    /// Oniguruma's `(?i:...)`, which also folds U+017F LATIN SMALL LETTER LONG S to `s`.
    static func contraction(_ text: ClassifiedText, at i: Int, end: Int, caseInsensitive: Bool) -> Int? {
        guard text.scalars[i] == "'", i + 1 < end else { return nil }
        func letter(_ k: Int) -> Unicode.Scalar? {
            guard k < end else { return nil }
            let s = text.scalars[k]
            guard caseInsensitive else { return s }
            if s == "\u{017F}" { return "s" }
            if ("A"..."Z").contains(s), let lower = Unicode.Scalar(s.value + 32) { return lower }
            return s
        }
        switch letter(i + 1) {
        case "s", "t", "m", "d":
            return i + 2
        case "r", "v":
            return letter(i + 2) == "e" ? i + 3 : nil
        case "l":
            return letter(i + 2) == "l" ? i + 3 : nil
        default:
            return nil
        }
    }

    /// The end of the run of `wanted` starting at `i`.
    static func run(of wanted: ScalarClass, in text: ClassifiedText, from i: Int, end: Int) -> Int {
        var e = i
        while e < end && text.classes[e] == wanted { e += 1 }
        return e
    }

    /// The end of the whitespace run starting at `i`.
    static func whitespaceRunEnd(_ text: ClassifiedText, from i: Int, end: Int) -> Int {
        var e = i
        while e < end && text.classes[e].isWhitespace { e += 1 }
        return e
    }

    /// `\s+(?!\S)|\s+` at a whitespace character `i`: the whole run when it reaches the end of the
    /// text, else all but its last character (which then leads the next piece), else (a single
    /// whitespace before a non-space) that one character.
    static func whitespaceEnd(_ text: ClassifiedText, at i: Int, end: Int) -> Int {
        let e = whitespaceRunEnd(text, from: i, end: end)
        if e == end { return e }
        return e - 1 > i ? e - 1 : e
    }
}
