import Foundation

/// One checked forward pass over a `DecoderStack`: the batch was validated against the cache
/// and the cache extended for its rows; `run` embeds the tokens, applies every layer's branches
/// and returns the requested logits. Lives for one forward; the branches read what they need
/// from it (rows, scratch, attention schedule, rotation angles).
final class ForwardPass {
    let stack: DecoderStack
    let config: ModelConfig
    let batch: TokenBatch
    let cache: KVCache
    let pool: ThreadPool
    let scratch: ForwardScratch
    let schedule: AttentionSchedule
    let buffers = AttentionBuffers()
    /// Rotation angles per row, per rotary table, computed when a layer first asks.
    private var angleTables: [Int: UnsafeMutablePointer<Float>] = [:]

    var rows: Int { batch.rows.count }
    /// `(rows, hidden)`: the residual stream.
    var residual: UnsafeMutablePointer<Float> { scratch.residual }

    init(stack: DecoderStack, config: ModelConfig, batch: TokenBatch, cache: KVCache, pool: ThreadPool) throws(ModelError) {
        guard !batch.rows.isEmpty else { throw .invalidBatch("no rows") }
        if let bad = batch.logitRows.first(where: { !batch.rows.indices.contains($0) }) {
            throw .invalidBatch("logit row \(bad) is outside the \(batch.rows.count) rows")
        }
        for (i, row) in batch.rows.enumerated() where row.token < 0 || row.token >= config.vocabularySize {
            throw .tokenOutOfRange(token: row.token, index: i, vocabularySize: config.vocabularySize)
        }
        // Each sequence's rows must continue its cache, one position after another.
        var next: [SequenceID: Int] = [:]
        for (i, row) in batch.rows.enumerated() {
            let expected: Int
            if let known = next[row.sequence] { expected = known } else { expected = try cache.length(of: row.sequence) }
            guard row.position == expected else {
                throw .invalidBatch("row \(i) is position \(row.position) of \(row.sequence), expected \(expected)")
            }
            next[row.sequence] = expected + 1
        }
        for (_, end) in next where end > cache.maxLength {
            throw .contextOverflow(tokens: end, contextLength: cache.maxLength)
        }
        for (sequence, end) in next { try cache.extend(sequence, to: end) }
        self.stack = stack
        self.config = config
        self.batch = batch
        self.cache = cache
        self.pool = pool
        scratch = ForwardScratch(config: config, rows: batch.rows.count)
        schedule = AttentionSchedule(batch: batch, headDim: config.headDim)
    }

    deinit {
        scratch.deallocate()
        for table in angleTables.values { table.deallocate() }
    }

    /// `(rows, angleCount)` rotation angles of table `table` for the rows' positions.
    func angles(table: Int) -> UnsafePointer<Float> {
        if let known = angleTables[table] { return UnsafePointer(known) }
        let rope = stack.ropes[table]
        let angles = UnsafeMutablePointer<Float>.allocate(capacity: max(1, rows * rope.angleCount))
        for (r, row) in batch.rows.enumerated() {
            rope.angles(position: row.position, into: angles + r * rope.angleCount)
        }
        angleTables[table] = angles
        return UnsafePointer(angles)
    }

    func run() throws(ModelError) -> Logits {
        let hidden = config.hiddenSize
        let x = residual
        for (r, row) in batch.rows.enumerated() {
            do { try stack.tokenEmbedding.embeddingRow(row.token, into: x + r * hidden) } catch { throw .tensor(error) }
        }
        if stack.embeddingScale != 1 {
            for i in 0..<rows * hidden { x[i] *= stack.embeddingScale }
        }

        for (l, layer) in stack.layers.enumerated() {
            for branch in layer.branches { try branch.apply(self, layer: l) }
        }

        // Final norm and vocabulary projection, only for the rows whose logits are wanted.
        let m = batch.logitRows.count
        for (i, r) in batch.logitRows.enumerated() {
            RMSNorm.apply(x + r * hidden, weight: stack.outputNorm, epsilon: config.normEpsilon,
                          count: hidden, into: scratch.normed + i * hidden)
        }
        var logits = [Float](repeating: 0, count: m * config.vocabularySize)
        if m > 0 {
            logits.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                stack.output.matmul(scratch.normed, batch: m, into: base, pool: pool)
            }
        }
        return Logits(vocabularySize: config.vocabularySize, values: logits)
    }
}

/// Activations of one forward pass, sized for its row count and the widest layer.
struct ForwardScratch {
    let residual: UnsafeMutablePointer<Float>   // (rows, hidden)
    let normed: UnsafeMutablePointer<Float>     // (rows, hidden)
    let delta: UnsafeMutablePointer<Float>      // (rows, hidden)
    let query: UnsafeMutablePointer<Float>      // (rows, max heads * headDim)
    let attention: UnsafeMutablePointer<Float>  // (rows, max heads * headDim)
    let key: UnsafeMutablePointer<Float>        // (rows, max kvHeads * headDim)
    let value: UnsafeMutablePointer<Float>      // (rows, max kvHeads * headDim)
    let gate: UnsafeMutablePointer<Float>       // (rows, max ffn width)
    let up: UnsafeMutablePointer<Float>         // (rows, max ffn width)
    private let storage: UnsafeMutablePointer<Float>

    init(config: ModelConfig, rows: Int) {
        var maxHeads = 0
        var maxKV = 0
        var maxFFN = 0
        for layer in config.layers {
            if case .multiHead(let heads, let kv) = layer.attention {
                maxHeads = max(maxHeads, heads)
                maxKV = max(maxKV, kv)
            }
            if case .gated(let width) = layer.feedForward { maxFFN = max(maxFFN, width) }
        }
        let hidden = rows * config.hiddenSize
        let q = rows * maxHeads * config.headDim
        let kv = rows * maxKV * config.headDim
        let ffn = rows * maxFFN
        storage = .allocate(capacity: 3 * hidden + 2 * q + 2 * kv + 2 * ffn)
        storage.initialize(repeating: 0, count: 3 * hidden + 2 * q + 2 * kv + 2 * ffn)
        residual = storage
        normed = residual + hidden
        delta = normed + hidden
        query = delta + hidden
        attention = query + q
        key = attention + q
        value = key + kv
        gate = value + kv
        up = gate + ffn
    }

    func deallocate() { storage.deallocate() }
}
