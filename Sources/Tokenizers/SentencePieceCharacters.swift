/// Splitting text into the characters SentencePiece merging starts from.
enum SentencePieceCharacters {
    /// One byte range per UTF-8 character, its length read from the lead byte as llama.cpp's
    /// `unicode_len_utf8` does (the text is well-formed: it comes from a `String`).
    static func ranges(_ text: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(text.count)
        var offset = 0
        while offset < text.count {
            let length = min(sequenceLength(lead: text[offset]), text.count - offset)
            ranges.append(offset..<offset + length)
            offset += length
        }
        return ranges
    }

    @inline(__always)
    private static func sequenceLength(lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }
}
