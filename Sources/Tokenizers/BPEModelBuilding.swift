/// Building a `BPEModel` from what a loader extracted.
extension BPEModel {
    /// Builds the model from a loader's vocabulary and merges; `tokenBytes` are the bytes of
    /// every token id. A merge naming a token missing from the vocabulary, or repeating a pair,
    /// is an error naming the merge.
    init(
        _ definition: TokenizerDefinition.BytePairs, unknown: Int?, tokenBytes: [[UInt8]]
    ) throws(TokenizerError) {
        var byteTokens = [Int32](repeating: -1, count: 256)
        var wholeWords: [[UInt8]: Int32] = [:]
        for (text, id) in definition.vocabulary {
            guard (0..<tokenBytes.count).contains(id) else {
                throw .invalidField(
                    "vocabulary entry '\(text)'", reason: "id \(id) outside 0..<\(tokenBytes.count)")
            }
            let bytes = tokenBytes[id]
            if bytes.count == 1, byteTokens[Int(bytes[0])] < 0 || id < byteTokens[Int(bytes[0])] {
                byteTokens[Int(bytes[0])] = Int32(id)
            }
            if definition.ignoreMerges, wholeWords[bytes].map({ id < $0 }) ?? true {
                wholeWords[bytes] = Int32(id)
            }
        }
        var rules = BPEMergeTable()
        for (rank, merge) in definition.merges.enumerated() {
            let name = "\(merge.left) \(merge.right)"
            guard let left = definition.vocabulary[merge.left] else {
                throw .invalidMerge(index: rank, merge: name, reason: "'\(merge.left)' is not in the vocabulary")
            }
            guard let right = definition.vocabulary[merge.right] else {
                throw .invalidMerge(index: rank, merge: name, reason: "'\(merge.right)' is not in the vocabulary")
            }
            guard let merged = definition.vocabulary[merge.left + merge.right] else {
                throw .invalidMerge(
                    index: rank, merge: name,
                    reason: "the merged token '\(merge.left + merge.right)' is not in the vocabulary")
            }
            let rule = BPEMergeTable.Rule(rank: Int32(rank), merged: Int32(merged))
            guard rules.add(left: Int32(left), right: Int32(right), rule: rule) else {
                throw .invalidMerge(index: rank, merge: name, reason: "repeats an earlier merge of the same pair")
            }
        }
        self.init(
            byteTokens: byteTokens,
            rules: rules,
            wholeWords: definition.ignoreMerges ? wholeWords : nil,
            unknown: unknown.map(Int32.init)
        )
    }
}
