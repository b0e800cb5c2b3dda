/// SentencePiece-style BPE over a scored vocabulary (llama.cpp's SPM tokenizer): turns one
/// fragment of plain text into ids.
struct SentencePieceModel: Sendable {
    let vocabulary: SentencePieceVocabulary
    /// (256) the id each byte of a piece missing from the vocabulary becomes: its `<0xNN>`
    /// token, else `unknown`; -1 drops the byte. (llama.cpp then tries the token that is the
    /// byte alone, which a missing piece, one character, never has, and fails without one.)
    let byteFallback: [Int32]

    init(vocabulary: SentencePieceVocabulary, unknown: Int?) {
        let hex = Array("0123456789ABCDEF".utf8)
        byteFallback = (0..<256).map { byte in
            let name = Array("<0x".utf8) + [hex[byte >> 4], hex[byte & 15], UInt8(ascii: ">")]
            return vocabulary.id(of: name[...]) ?? unknown.map(Int32.init) ?? -1
        }
        self.vocabulary = vocabulary
    }

    /// The space marker U+2581 (LOWER ONE EIGHTH BLOCK), as UTF-8.
    static let spaceMarker: [UInt8] = [0xE2, 0x96, 0x81]

    /// Appends the ids of `fragment` (UTF-8, no added tokens in it); `prefixSpace` puts a space
    /// before it (`add_space_prefix`).
    func encode(_ fragment: ArraySlice<UInt8>, prefixSpace: Bool, into out: inout [Int]) {
        let text = Self.escapingSpaces(fragment, prefixSpace: prefixSpace)
        for piece in SentencePieceMerger.merge(text, vocabulary: vocabulary) {
            if let id = vocabulary.id(of: text[piece]) {
                out.append(Int(id))
                continue
            }
            for byte in text[piece] where byteFallback[Int(byte)] >= 0 {
                out.append(Int(byteFallback[Int(byte)]))
            }
        }
    }

    /// `fragment` with every space (U+0020 only) written as U+2581, as llama.cpp's
    /// `llama_escape_whitespace` does.
    static func escapingSpaces(_ fragment: ArraySlice<UInt8>, prefixSpace: Bool) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(fragment.count + 8)
        if prefixSpace { text.append(contentsOf: spaceMarker) }
        for byte in fragment {
            if byte == UInt8(ascii: " ") {
                text.append(contentsOf: spaceMarker)
            } else {
                text.append(byte)
            }
        }
        return text
    }
}
