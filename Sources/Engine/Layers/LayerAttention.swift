/// The softmax-weighted sums of one attention layer for every row of a forward pass, after the
/// rows' keys and values are in the cache, spread over the pool as `schedule` says.
struct LayerAttention {
    let schedule: AttentionSchedule
    let rows: [TokenRow]
    let heads: Int
    let kvHeads: Int
    let headDim: Int
    /// Per row: its sequence's cached keys and values of this layer, (capacity, kvHeads * headDim).
    let cacheKeys: [UnsafeMutablePointer<Float16>]
    let cacheValues: [UnsafeMutablePointer<Float16>]
    /// A row attends to at most this many most recent positions, its own included (nil: all).
    var window: Int? = nil

    private enum Task {
        /// Rows `firstRow..<firstRow + rows` of run `run`, query heads of kv head `kvHead`.
        case tile(run: Int, kvHead: Int, firstRow: Int, rows: Int)
        case head(row: Int, head: Int)
    }

    /// Writes `(rows, heads * headDim)` results into `out` for queries `q` of the same shape;
    /// `buffers` hold the widened cache and per-task scratch.
    func run(queries q: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, buffers: AttentionBuffers,
             pool: ThreadPool) {
        if let window, rows.contains(where: { $0.position >= window }) {
            return runWindowed(window, queries: q, out: out, buffers: buffers, pool: pool)
        }
        let qWidth = heads * headDim
        let kvWidth = kvHeads * headDim
        let group = heads / kvHeads
        let scale = 1 / Float(headDim).squareRoot()

        // Widen each run's cache, per kv head, in chunks of positions.
        var offsets: [Int] = []   // per (run, kv head): offset of its widened keys; values follow
        var widenTasks: [(run: Int, kvHead: Int, positions: Range<Int>)] = []
        var total = 0
        for (i, run) in schedule.runs.enumerated() {
            for g in 0..<kvHeads {
                offsets.append(total)
                total += schedule.widenedCount(run, headDim: headDim)
                for start in stride(from: 0, to: run.length, by: BlockedAttention.widenBlock) {
                    widenTasks.append((i, g, start..<min(run.length, start + BlockedAttention.widenBlock)))
                }
            }
        }
        let widened = buffers.widened(total)
        pool.parallelFor(widenTasks.count) { t in
            let task = widenTasks[t]
            let run = schedule.runs[task.run]
            let keys = widened + offsets[task.run * kvHeads + task.kvHead]
            BlockedAttention.widen(
                keys: cacheKeys[run.firstRow] + task.kvHead * headDim,
                values: cacheValues[run.firstRow] + task.kvHead * headDim,
                rowStride: kvWidth, headDim: headDim, positions: task.positions,
                widenedKeys: keys, widenedValues: keys + BlockedAttention.widenedCount(length: run.length, headDim: headDim))
        }

        var tasks: [Task] = []
        var work = 0
        for (i, run) in schedule.runs.enumerated() {
            for g in 0..<kvHeads {
                for first in stride(from: 0, to: run.rows, by: AttentionSchedule.tileRows) {
                    tasks.append(.tile(run: i, kvHead: g, firstRow: first,
                                       rows: min(AttentionSchedule.tileRows, run.rows - first)))
                }
            }
            work += run.rows * run.length * heads * headDim
        }
        for r in schedule.singleRows {
            for h in 0..<heads { tasks.append(.head(row: r, head: h)) }
            work += (rows[r].position + 1) * heads * headDim
        }
        // One scratch slot per thread; each claims tasks one at a time, last (longest) first, so
        // a thread the OS pauses holds up at most the one task it is running.
        let slots = work < 65_536 ? 1 : min(tasks.count, pool.threadCount)
        let scratchCount = schedule.scratchCount(group: group, headDim: headDim)
        let scratch = buffers.scratch(slots * scratchCount)
        let claimed = PoolCounter(0)
        let body = { (slot: Int) in
            let space = scratch + slot * scratchCount
            while true {
                let n = claimed.increment()
                guard n < tasks.count else { return }
                switch tasks[tasks.count - 1 - n] {
                case .tile(let i, let g, let first, let count):
                    let run = schedule.runs[i]
                    let keys = widened + offsets[i * kvHeads + g]
                    let row = run.firstRow + first
                    BlockedAttention.tile(
                        queries: q + row * qWidth + g * group * headDim, rows: count, heads: group, rowStride: qWidth,
                        firstLength: run.firstPosition + first + 1, widenedKeys: keys,
                        widenedValues: keys + BlockedAttention.widenedCount(length: run.length, headDim: headDim),
                        headDim: headDim, scale: scale, scratch: space,
                        out: out + row * qWidth + g * group * headDim)
                case .head(let r, let h):
                    attendOneHead(row: r, head: h, from: 0, queries: q, scores: space, out: out)
                }
            }
        }
        if slots == 1 { body(0) } else { pool.parallelFor(slots, body) }
    }

    /// A sliding window that cuts some row's history: one task per (row, head) over the row's
    /// last `window` positions, through the single-head kernel.
    private func runWindowed(_ window: Int, queries q: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
                             buffers: AttentionBuffers, pool: ThreadPool) {
        let tasks = rows.count * heads
        let slots = min(tasks, pool.threadCount)
        let scores = buffers.scratch(slots * window)
        let claimed = PoolCounter(0)
        let body = { (slot: Int) in
            while true {
                let t = claimed.increment()
                guard t < tasks else { return }
                let r = t / heads
                attendOneHead(row: r, head: t % heads, from: max(0, rows[r].position + 1 - window), queries: q,
                              scores: scores + slot * window, out: out)
            }
        }
        if slots == 1 { body(0) } else { pool.parallelFor(slots, body) }
    }

    /// Head `h` of row `r` over its cached positions `first...position`, by the single-head
    /// kernel; `scores` holds at least that many floats.
    private func attendOneHead(row r: Int, head h: Int, from first: Int, queries q: UnsafePointer<Float>,
                               scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let qWidth = heads * headDim, kvWidth = kvHeads * headDim
        let kvOffset = first * kvWidth + (h / (heads / kvHeads)) * headDim
        Attention.head(
            query: q + r * qWidth + h * headDim, keys: cacheKeys[r] + kvOffset, values: cacheValues[r] + kvOffset,
            rowStride: kvWidth, length: rows[r].position + 1 - first, headDim: headDim, scale: 1 / Float(headDim).squareRoot(),
            scores: scores, out: out + r * qWidth + h * headDim)
    }
}
