/// Byte-level BPE over a vocabulary of byte strings: turns one pre-token's bytes into token ids.
struct BPEModel: Sendable {
    /// (256) the id of each single-byte token, or -1 when the vocabulary lacks it.
    let byteTokens: [Int32]
    let rules: BPEMergeTable
    /// Llama 3's `ignore_merges`: a pre-token that is itself a vocabulary entry is emitted whole,
    /// without merging (nil when the vocabulary does not ask for it).
    let wholeWords: [[UInt8]: Int32]?
    /// The id a byte missing from the vocabulary becomes; when nil such bytes are dropped,
    /// which is what HF `tokenizers` does for a BPE model without `unk_token`.
    let unknown: Int32?

    /// Appends the ids of one pre-token.
    func encode(_ word: ArraySlice<UInt8>, into out: inout [Int]) {
        for id in ids(of: word) { out.append(Int(id)) }
    }

    func ids(of word: ArraySlice<UInt8>) -> [Int32] {
        if let wholeWords, let id = wholeWords[Array(word)] { return [id] }
        return BPEMerger.merge(symbols(of: word), rules: rules)
    }

    /// The unmerged symbols: one per byte.
    func symbols(of word: ArraySlice<UInt8>) -> [Int32] {
        var symbols: [Int32] = []
        symbols.reserveCapacity(word.count)
        for byte in word {
            let id = byteTokens[Int(byte)]
            if id >= 0 {
                symbols.append(id)
            } else if let unknown {
                symbols.append(unknown)
            }
        }
        return symbols
    }
}
