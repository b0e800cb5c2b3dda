/// Splits added tokens (control, unknown and user-defined) out of text the way llama.cpp does
/// (`tokenizer_st_partition`): tokens are taken longest first, each at every place it occurs,
/// leftmost first, in text no longer token already covers. Ties in length go to the lower id
/// (llama.cpp leaves their order to an unstable sort; they only matter where two tokens of
/// one length overlap).
///
/// This can differ from leftmost-longest matching (`AddedTokenMatcher.longestMatch`): with
/// tokens `wx` and `xyz`, `wxyz` splits as `w`, `xyz` here.
struct LongestFirstTokenSplitter: Sendable {
    enum Fragment: Equatable {
        /// Plain text still to encode: a byte range of the input.
        case text(Range<Int>)
        /// A split-out token's id.
        case token(Int)
    }

    private let matcher: AddedTokenMatcher

    init(_ matcher: AddedTokenMatcher) { self.matcher = matcher }

    /// The fragments of `bytes` in order; special tokens count only with `parseSpecial`.
    /// Empty input has no fragments.
    func split(_ bytes: [UInt8], parseSpecial: Bool) -> [Fragment] {
        var occurrences: [Occurrence] = []
        for position in bytes.indices {
            matcher.forEachMatch(in: bytes, at: position) { match in
                if parseSpecial || !match.isSpecial {
                    occurrences.append(Occurrence(position: position, length: match.length, id: match.id))
                }
            }
        }
        guard !occurrences.isEmpty else { return bytes.isEmpty ? [] : [.text(0..<bytes.count)] }
        occurrences.sort { a, b in
            if a.length != b.length { return a.length > b.length }
            if a.id != b.id { return a.id < b.id }
            return a.position < b.position
        }
        // Everything taken so far is at least as long as the occurrence at hand, so it overlaps
        // taken text exactly when its first or last byte is taken.
        var taken = [Bool](repeating: false, count: bytes.count)
        var kept: [Occurrence] = []
        for occurrence in occurrences {
            let last = occurrence.position + occurrence.length - 1
            guard !taken[occurrence.position] && !taken[last] else { continue }
            for i in occurrence.position...last { taken[i] = true }
            kept.append(occurrence)
        }
        kept.sort { $0.position < $1.position }

        var fragments: [Fragment] = []
        fragments.reserveCapacity(2 * kept.count + 1)
        var plainStart = 0
        for occurrence in kept {
            if plainStart < occurrence.position { fragments.append(.text(plainStart..<occurrence.position)) }
            fragments.append(.token(occurrence.id))
            plainStart = occurrence.position + occurrence.length
        }
        if plainStart < bytes.count { fragments.append(.text(plainStart..<bytes.count)) }
        return fragments
    }

    private struct Occurrence {
        var position: Int
        var length: Int
        var id: Int
    }
}
