/// The scored vocabulary SentencePiece merging consults: every token's stored text (UTF-8, a
/// space written U+2581) to its id, and each id's score. Every token takes part, whatever its
/// type, as in llama.cpp (`text_to_token`).
struct SentencePieceVocabulary: Sendable {
    private let idByText: [ArraySlice<UInt8>: Int32]
    /// (token count) the score of each id; higher merges first.
    let scores: [Float]

    /// `texts` and `scores` are indexed by id; a text appearing twice is an error naming it.
    init(texts: [String], scores: [Float]) throws(TokenizerError) {
        guard scores.count == texts.count else {
            throw .invalidField("tokenizer.ggml.scores", reason: "\(scores.count) entries for \(texts.count) tokens")
        }
        var idByText: [ArraySlice<UInt8>: Int32] = [:]
        idByText.reserveCapacity(texts.count)
        for (id, text) in texts.enumerated() {
            guard idByText.updateValue(Int32(id), forKey: Array(text.utf8)[...]) == nil else {
                throw .duplicateToken(text, index: id)
            }
        }
        self.idByText = idByText
        self.scores = scores
    }

    @inline(__always)
    func id(of text: ArraySlice<UInt8>) -> Int32? {
        idByText[text]
    }
}
