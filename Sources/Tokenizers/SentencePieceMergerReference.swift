/// The obvious SentencePiece merge loop, kept as the reference twin of `SentencePieceMerger`:
/// scan every adjacent pair, merge the leftmost pair forming the highest-scoring token, repeat.
/// O(n^2) per text.
enum SentencePieceMergerReference {
    static func merge(_ text: [UInt8], vocabulary: SentencePieceVocabulary) -> [Range<Int>] {
        var pieces = SentencePieceCharacters.ranges(text)
        while pieces.count > 1 {
            var best: (index: Int, score: Float)?
            for i in 0..<(pieces.count - 1) {
                let joined = pieces[i].lowerBound..<pieces[i + 1].upperBound
                guard let id = vocabulary.id(of: text[joined]) else { continue }
                let score = vocabulary.scores[Int(id)]
                if best.map({ score > $0.score }) ?? true { best = (i, score) }
            }
            guard let (index, _) = best else { break }
            pieces[index] = pieces[index].lowerBound..<pieces[index + 1].upperBound
            pieces.remove(at: index + 1)
        }
        return pieces
    }
}
