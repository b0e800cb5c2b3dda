/// SentencePiece merging as llama.cpp does it (`llm_tokenizer_spm_session`): start from one
/// symbol per UTF-8 character and repeatedly merge the adjacent pair whose concatenation is the
/// highest-scoring vocabulary token, the leftmost such pair first, until no pair forms a token.
///
/// Fast form: a max-heap of candidate pairs keyed by (score, left position) over a linked list
/// of symbols, O(n log n). A candidate whose symbols changed since it was pushed is recognised
/// by their lengths no longer adding up to its length, and skipped. `SentencePieceMergerReference`
/// is the obvious quadratic twin.
enum SentencePieceMerger {
    /// The byte ranges of `text` (escaped UTF-8) that become one piece each, in order.
    static func merge(_ text: [UInt8], vocabulary: SentencePieceVocabulary) -> [Range<Int>] {
        let characters = SentencePieceCharacters.ranges(text)
        let n = characters.count
        if n < 2 { return characters }
        // Symbol i starts at start[i] and is length[i] bytes long; a merged-away symbol has
        // length 0. Links of the live symbols; -1 marks "none".
        let start = characters.map { Int32($0.lowerBound) }
        var length = characters.map { Int32($0.count) }
        var next = (0..<n).map { Int32($0 + 1 < n ? $0 + 1 : -1) }
        var previous = (0..<n).map { Int32($0 - 1) }
        var heap = BigramHeap()

        func push(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let from = Int(start[Int(left)])
            let size = length[Int(left)] + length[Int(right)]
            guard let id = vocabulary.id(of: text[from..<from + Int(size)]) else { return }
            heap.push(.init(score: vocabulary.scores[Int(id)], left: left, right: right, size: size))
        }

        for i in 1..<n { push(Int32(i - 1), Int32(i)) }
        while let bigram = heap.pop() {
            let left = Int(bigram.left), right = Int(bigram.right)
            // Stale: a symbol was merged away, or grew, since the pair was pushed.
            guard length[left] > 0, length[right] > 0, length[left] + length[right] == bigram.size else { continue }
            length[left] += length[right]
            length[right] = 0
            next[left] = next[right]
            if next[right] >= 0 { previous[Int(next[right])] = bigram.left }
            push(previous[left], bigram.left)
            push(bigram.left, next[left])
        }

        var pieces: [Range<Int>] = []
        var i: Int32 = 0
        while i >= 0 {
            let from = Int(start[Int(i)])
            pieces.append(from..<from + Int(length[Int(i)]))
            i = next[Int(i)]
        }
        return pieces
    }
}

/// A candidate merge of the adjacent symbols `left` and `right`, `size` bytes together, forming
/// a token of `score`.
private struct Bigram {
    var score: Float
    var left: Int32
    var right: Int32
    var size: Int32

    /// Pops first: the higher score, then the lower (leftmost) position.
    @inline(__always)
    func precedes(_ other: Bigram) -> Bool {
        score > other.score || (score == other.score && left < other.left)
    }
}

/// A binary heap of bigrams, best (by `Bigram.precedes`) on top.
private struct BigramHeap {
    private var items: [Bigram] = []

    mutating func push(_ item: Bigram) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Bigram? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < items.count else { break }
                let right = left + 1
                let better = right < items.count && items[right].precedes(items[left]) ? right : left
                guard items[better].precedes(items[parent]) else { break }
                items.swapAt(better, parent)
                parent = better
            }
        }
        return top
    }
}
