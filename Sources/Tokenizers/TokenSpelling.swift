/// The bytes a token's stored text stands for, by how the vocabulary spells them.
extension TokenizerDefinition.Spelling {
    func bytes(of text: String) -> [UInt8] {
        switch self {
        case .byteLevel:
            // A character outside the alphabet stands for its own UTF-8 bytes, as in HF's
            // ByteLevel decoder.
            return ByteLevelAlphabet.bytes(ofTokenText: text) ?? Array(text.utf8)
        case .raw:
            return Array(text.utf8)
        case .spaceMarked:
            return Self.replacingSpaceMarkers(Array(text.utf8))
        case .byte(let byte):
            return [byte]
        case .nothing:
            return []
        }
    }

    /// Every U+2581 written as a space (llama.cpp's `llama_unescape_whitespace`).
    private static func replacingSpaceMarkers(_ utf8: [UInt8]) -> [UInt8] {
        let marker = SentencePieceModel.spaceMarker
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            if i + 2 < utf8.count && utf8[i] == marker[0] && utf8[i + 1] == marker[1] && utf8[i + 2] == marker[2] {
                out.append(UInt8(ascii: " "))
                i += 3
            } else {
                out.append(utf8[i])
                i += 1
            }
        }
        return out
    }
}
