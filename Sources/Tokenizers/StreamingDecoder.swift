/// Decodes ids that arrive one at a time (during generation) into text, never emitting half a
/// UTF-8 character: bytes of a character still being completed are held back until its last
/// byte arrives. The concatenation of everything returned by `append` and `finish` equals
/// `Tokenizer.decode` of all the ids.
public struct StreamingDecoder: Sendable {
    private let tokenizer: Tokenizer
    private let skipSpecialTokens: Bool
    /// Bytes received but not yet returned: at most the first 3 bytes of one character.
    private var pending: [UInt8] = []
    private var position = 0

    init(tokenizer: Tokenizer, skipSpecialTokens: Bool) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Adds one id and returns the text it completes (often empty mid-character). Ill-formed
    /// bytes are returned as U+FFFD as soon as they can no longer become part of a character.
    public mutating func append(_ id: Int) throws(TokenizerError) -> String {
        guard let bytes = tokenizer.piece(id, at: position, skipSpecialTokens: skipSpecialTokens) else {
            throw .idOutOfRange(id: id, position: position, vocabularySize: tokenizer.vocabularySize)
        }
        position += 1
        pending.append(contentsOf: bytes)
        let ready = UTF8Boundary.completePrefixLength(pending)
        guard ready > 0 else { return "" }
        let text = String(decoding: pending[..<ready], as: UTF8.self)
        pending.removeFirst(ready)
        return text
    }

    /// Returns whatever is held back (an unfinished character becomes U+FFFD) and resets.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }
}

/// Where a byte stream can be cut so that decoding the part before the cut gives the same text
/// as decoding the whole stream would for those bytes.
enum UTF8Boundary {
    /// The length of the longest prefix of `bytes` that does not end inside a character that
    /// later bytes could still complete. Only a trailing, so far well-formed, incomplete
    /// sequence (at most 3 bytes) is held back; a sequence already ill-formed is not, because
    /// its U+FFFD cannot change.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // Find the start of the last character: a non-continuation byte among the last 4.
        var lead = n - 1
        while lead >= 0 && lead >= n - 4 && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= 0, lead >= n - 4 else { return n }
        let expected = sequenceLength(lead: bytes[lead])
        let have = n - lead
        guard expected > have else { return n }
        // The bytes so far must be a valid start of that sequence (the second byte's range
        // depends on the lead: no overlongs, no surrogates, nothing above U+10FFFF).
        if have >= 2 && !secondByteRange(lead: bytes[lead]).contains(bytes[lead + 1]) { return n }
        return lead
    }

    /// The length a well-formed sequence starting with `lead` has; 1 for ASCII and for bytes
    /// that cannot start a sequence.
    private static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 1
        }
    }

    private static func secondByteRange(lead: UInt8) -> ClosedRange<UInt8> {
        switch lead {
        case 0xE0: return 0xA0...0xBF
        case 0xED: return 0x80...0x9F
        case 0xF0: return 0x90...0xBF
        case 0xF4: return 0x80...0x8F
        default: return 0x80...0xBF
        }
    }
}
