/// Applies BPE merges to a word's symbols: repeatedly merge the adjacent pair whose rule has the
/// lowest rank, the leftmost such pair first, until no pair has a rule.
///
/// Fast form: a min-heap of candidate pairs keyed by (rank, position) over a linked list of
/// symbols, O(n log n). A candidate popped after its pair changed is recognised and skipped by
/// looking the pair up again. `BPEMergerReference` is the obvious quadratic twin.
enum BPEMerger {
    static func merge(_ symbols: [Int32], rules: BPEMergeTable) -> [Int32] {
        let n = symbols.count
        if n < 2 { return symbols }
        var ids = symbols
        // Links of the live symbols; -1 marks "none". A merged-away symbol gets id -1.
        var next = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = i + 1 < n ? Int32(i + 1) : -1 }
            count = n
        }
        var previous = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = Int32(i - 1) }
            count = n
        }
        var heap = CandidateHeap()
        for i in 0..<(n - 1) {
            if let rule = rules.rule(ids[i], ids[i + 1]) { heap.push(rank: rule.rank, position: Int32(i)) }
        }
        while let (rank, position) = heap.pop() {
            let left = Int(position)
            let right = Int(next[left])
            // Stale candidate: the left symbol was merged away, or the pair changed since.
            guard ids[left] >= 0, right >= 0, let rule = rules.rule(ids[left], ids[right]),
                rule.rank == rank
            else { continue }
            ids[left] = rule.merged
            ids[right] = -1
            let after = next[right]
            next[left] = after
            if after >= 0 { previous[Int(after)] = Int32(left) }
            let before = previous[left]
            if before >= 0, let r = rules.rule(ids[Int(before)], ids[left]) {
                heap.push(rank: r.rank, position: before)
            }
            if after >= 0, let r = rules.rule(ids[left], ids[Int(after)]) {
                heap.push(rank: r.rank, position: Int32(left))
            }
        }
        return ids.filter { $0 >= 0 }
    }
}

/// A binary min-heap of (rank, position) packed into one integer, so ties in rank pop the
/// leftmost position first.
private struct CandidateHeap {
    private var keys: [UInt64] = []

    mutating func push(rank: Int32, position: Int32) {
        keys.append(UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: position)))
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard keys[child] < keys[parent] else { break }
            keys.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (rank: Int32, position: Int32)? {
        guard let top = keys.first else { return nil }
        let last = keys.removeLast()
        if !keys.isEmpty {
            keys[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < keys.count else { break }
                let right = left + 1
                let smaller = right < keys.count && keys[right] < keys[left] ? right : left
                guard keys[smaller] < keys[parent] else { break }
                keys.swapAt(smaller, parent)
                parent = smaller
            }
        }
        return (Int32(truncatingIfNeeded: top >> 32), Int32(truncatingIfNeeded: top))
    }
}
