/// How a forward pass splits the attention of its rows: runs of at least `minimumRunRows`
/// consecutive positions of one sequence (prefill chunks) go through `BlockedAttention` tiles,
/// after their sequence's cached keys and values are widened once per layer; the other rows
/// (decode steps, short feeds) go head by head through `Attention.head`, which reads the half
/// precision cache directly. Both give the same values up to float summation order.
struct AttentionSchedule {
    /// Rows of a run, consecutive positions of one sequence.
    struct Run {
        let sequence: SequenceID
        let firstRow: Int
        let rows: Int
        /// Position of the run's first row; the run sees positions `0..<firstPosition + rows`.
        let firstPosition: Int
        var length: Int { firstPosition + rows }
    }

    /// Shortest run worth widening its cache for.
    static let minimumRunRows = 8
    /// Positions per tile (times the query heads of one kv head).
    static let tileRows = 8

    let runs: [Run]
    /// Rows attended head by head.
    let singleRows: [Int]
    /// Longest history one of `singleRows` attends to.
    let longestSingle: Int

    init(batch: TokenBatch, headDim: Int) {
        var runs: [Run] = []
        var singles: [Int] = []
        var start = 0
        let rows = batch.rows
        while start < rows.count {
            var end = start + 1
            while end < rows.count, rows[end].sequence == rows[start].sequence,
                  rows[end].position == rows[end - 1].position + 1 {
                end += 1
            }
            if end - start >= Self.minimumRunRows, BlockedAttention.supports(headDim: headDim) {
                runs.append(Run(sequence: rows[start].sequence, firstRow: start, rows: end - start,
                                firstPosition: rows[start].position))
            } else {
                singles.append(contentsOf: start..<end)
            }
            start = end
        }
        self.runs = runs
        singleRows = singles
        longestSingle = singles.reduce(0) { max($0, rows[$1].position + 1) }
    }

    /// Floats of widened keys plus values for one kv head of `run`.
    func widenedCount(_ run: Run, headDim: Int) -> Int {
        2 * BlockedAttention.widenedCount(length: run.length, headDim: headDim)
    }

    /// Floats of scratch one task needs with `group` query heads per kv head.
    func scratchCount(group: Int, headDim: Int) -> Int {
        let longest = runs.reduce(0) { max($0, $1.length) }
        let tile = BlockedAttention.scratchCount(rows: Self.tileRows, heads: group, lastLength: longest, headDim: headDim)
        return max(runs.isEmpty ? 0 : tile, longestSingle)
    }
}
