/// Finds added tokens (control and user-defined tokens) in raw text, so they can be split out
/// before pre-tokenization: a trie over their UTF-8 bytes.
///
/// `longestMatch` gives leftmost-longest matching, like HF's added-vocabulary Aho-Corasick: at
/// the first position where any added token starts, the longest one there wins.
/// `forEachMatch` lists every token starting at a position (for `LongestFirstTokenSplitter`).
struct AddedTokenMatcher: Sendable {
    struct Match: Equatable {
        var id: Int
        var length: Int
        var isSpecial: Bool
    }

    private struct Node: Sendable {
        var children: [UInt8: Int32] = [:]
        /// The token ending here: (id, special), if any.
        var token: (id: Int, isSpecial: Bool)?
    }

    private var nodes = [Node()]
    /// Bytes that begin some added token; a quick filter for the scan.
    private var startsToken = [Bool](repeating: false, count: 256)

    var isEmpty: Bool { nodes.count == 1 }

    /// Adds a token; an empty content is ignored (it could never be split out).
    mutating func add(content: String, id: Int, isSpecial: Bool) {
        var node = 0
        for byte in content.utf8 {
            if let child = nodes[node].children[byte] {
                node = Int(child)
            } else {
                nodes.append(Node())
                nodes[node].children[byte] = Int32(nodes.count - 1)
                node = nodes.count - 1
            }
        }
        guard node != 0 else { return }
        nodes[node].token = (id, isSpecial)
        if let first = content.utf8.first { startsToken[Int(first)] = true }
    }

    /// The longest added token starting at `bytes[start]`, if any.
    func longestMatch(in bytes: [UInt8], at start: Int) -> Match? {
        var best: Match?
        forEachMatch(in: bytes, at: start) { best = $0 }
        return best
    }

    /// Calls `body` with every added token starting at `bytes[start]`, shortest first.
    func forEachMatch(in bytes: [UInt8], at start: Int, _ body: (Match) -> Void) {
        guard startsToken[Int(bytes[start])] else { return }
        var node = 0
        var i = start
        while i < bytes.count, let child = nodes[node].children[bytes[i]] {
            node = Int(child)
            i += 1
            if let token = nodes[node].token {
                body(Match(id: token.id, length: i - start, isSpecial: token.isSpecial))
            }
        }
    }
}
