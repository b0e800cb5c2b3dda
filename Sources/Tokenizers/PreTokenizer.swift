/// Splits text into pre-tokens, the pieces BPE encodes independently.
///
/// Each implementation is a hand-written scanner equivalent to one regex of a reference
/// tokenizer (faster than a regex engine and free of its Unicode-version drift).
protocol PreTokenizer: Sendable {
    /// Appends, in order, the end (a scalar index into `text`) of every piece of `text[range]`;
    /// the last end appended is `range.upperBound`. An empty range appends nothing.
    func split(_ text: ClassifiedText, _ range: Range<Int>, into ends: inout [Int])
}

/// Pre-tokenizers applied one after another, each to every piece the previous one produced
/// (HF `pre_tokenizers.Sequence`).
struct PreTokenizerSequence: PreTokenizer {
    let stages: [any PreTokenizer]

    func split(_ text: ClassifiedText, _ range: Range<Int>, into ends: inout [Int]) {
        var pieces = [range.upperBound]
        var start = range.lowerBound
        for stage in stages {
            var next: [Int] = []
            next.reserveCapacity(pieces.count * 2)
            start = range.lowerBound
            for end in pieces {
                stage.split(text, start..<end, into: &next)
                start = end
            }
            pieces = next
        }
        ends.append(contentsOf: pieces)
    }
}

/// Every number character (`\p{N}`) becomes a piece of its own; the text between stays whole
/// (HF `Digits(individual_digits=true)`, llama.cpp's leading `\p{N}` split for `smollm`).
struct IndividualDigitSplitter: PreTokenizer {
    func split(_ text: ClassifiedText, _ range: Range<Int>, into ends: inout [Int]) {
        var i = range.lowerBound
        while i < range.upperBound {
            if text.classes[i] == .number {
                i += 1
            } else {
                while i < range.upperBound && text.classes[i] != .number { i += 1 }
            }
            ends.append(i)
        }
    }
}
