/// Reads the numbers a GenRM writes inside `\boxed{...}`.
enum BoxedNumbers {
    /// Where a block's box was found, or why not.
    enum Lookup: Equatable {
        case noBlock
        case noBox
        case unclosed(String)
        case content(String)
    }

    /// The content of the first `\boxed{...}` (or `\fbox{...}`) inside the block that starts with
    /// `begin`. The block ends at `end`, or, when the model left that out, at the next block's
    /// begin marker or the end of the text.
    static func lookup(begin: String, end: String, in bytes: [UInt8]) -> Lookup {
        guard let blockRange = BlockText.range(begin: begin, end: end, in: bytes) else { return .noBlock }
        let opens = [JudgmentFormat.boxedOpen, JudgmentFormat.fboxOpen].compactMap {
            ByteSearch.firstRange(of: $0, in: bytes, from: blockRange.lowerBound, to: blockRange.upperBound)
        }
        guard let open = opens.min(by: { $0.lowerBound < $1.lowerBound }) else { return .noBox }
        guard let close = ByteSearch.firstRange(of: JudgmentFormat.boxClose, in: bytes, from: open.upperBound, to: blockRange.upperBound) else {
            return .unclosed(String(decoding: bytes[open.upperBound..<blockRange.upperBound], as: UTF8.self))
        }
        return .content(String(decoding: bytes[open.upperBound..<close.lowerBound], as: UTF8.self))
    }

    /// `"1, 5"` -> [1, 5]. Separators: see ``JudgmentFormat/acceptedScoreSeparators``. Digits may
    /// be any Unicode decimal digits (full-width `５`, Arabic-Indic `٥`, Devanagari `५`), since a
    /// multilingual model writes them. Nil when any item is not a plain non-negative integer of at
    /// most 9 digits (a longer one cannot be a valid score, and would only overflow).
    static func integers(in content: String) -> [Int]? {
        var values: [Int] = []
        var item = String.UnicodeScalarView()
        func finishItem() -> Bool {
            let scalars = PythonWhitespace.strip(String(item)).unicodeScalars
            item = String.UnicodeScalarView()
            guard !scalars.isEmpty, scalars.count <= 9 else { return false }
            var value = 0
            for scalar in scalars {
                guard scalar.properties.generalCategory == .decimalNumber,
                      let digit = scalar.properties.numericValue, digit >= 0, digit <= 9
                else { return false }
                value = value * 10 + Int(digit)
            }
            values.append(value)
            return true
        }
        for scalar in content.unicodeScalars {
            if JudgmentFormat.acceptedScoreSeparators.contains(scalar) {
                guard finishItem() else { return nil }
            } else {
                item.append(scalar)
            }
        }
        guard finishItem() else { return nil }
        return values
    }
}

/// Finds the blocks of the output format.
enum BlockText {
    /// The byte range of a block's content: after its first `begin` marker up to its `end`
    /// marker, or to the next block's begin marker or the end of the text when `end` is missing.
    static func range(begin: String, end: String, in bytes: [UInt8]) -> Range<Int>? {
        guard let start = ByteSearch.firstRange(of: begin, in: bytes) else { return nil }
        let explicitEnd = ByteSearch.firstRange(of: end, in: bytes, from: start.upperBound)
        let nextBlock = ByteSearch.firstRange(of: JudgmentFormat.blockBeginPrefix, in: bytes, from: start.upperBound)
        let stop = [explicitEnd?.lowerBound, nextBlock?.lowerBound].compactMap { $0 }.min() ?? bytes.count
        return start.upperBound..<stop
    }

    /// The block's text, trimmed; nil when the block is absent.
    static func text(begin: String, end: String, in bytes: [UInt8]) -> String? {
        range(begin: begin, end: end, in: bytes).map {
            PythonWhitespace.strip(String(decoding: bytes[$0], as: UTF8.self))
        }
    }
}
