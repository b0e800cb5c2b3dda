/// The obvious BPE merge loop, kept as the reference twin of `BPEMerger`: scan every adjacent
/// pair, merge the leftmost pair of lowest rank, repeat. O(n^2) per word.
enum BPEMergerReference {
    static func merge(_ symbols: [Int32], rules: BPEMergeTable) -> [Int32] {
        var ids = symbols
        while ids.count > 1 {
            var best: (index: Int, rule: BPEMergeTable.Rule)?
            for i in 0..<(ids.count - 1) {
                if let rule = rules.rule(ids[i], ids[i + 1]), rule.rank < (best?.rule.rank ?? .max) {
                    best = (i, rule)
                }
            }
            guard let (index, rule) = best else { break }
            ids[index] = rule.merged
            ids.remove(at: index + 1)
        }
        return ids
    }
}
