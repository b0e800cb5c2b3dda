import Tokenizers

/// The token ids of the single digits 0-9 in a vocabulary, found by their bytes (every
/// byte-level BPE vocabulary here has them as single tokens).
public struct DigitTokens: Sendable, Equatable {
    /// `ids[d]` is the token whose bytes are exactly the ASCII digit d.
    public let ids: [Int]

    public init(tokenizer: Tokenizer) throws(JudgeDecodingError) {
        var ids: [Int] = []
        for digit in 0...9 {
            let text = String(digit)
            guard let id = tokenizer.encode(text, parseSpecial: false).onlyElement,
                  tokenizer.tokenBytes(id) == Array(text.utf8) else {
                throw .noDigitToken(digit)
            }
            ids.append(id)
        }
        self.ids = ids
    }

    public func id(of digit: Int) -> Int { ids[digit] }
}

extension Array {
    fileprivate var onlyElement: Element? { count == 1 ? self[0] : nil }
}
