import Foundation

/// One checked forward pass: the batch was validated against the cache and the cache extended
/// for its rows; `run` computes the layers and the requested logits.
struct ForwardPlan {
    let model: TransformerModel
    let batch: TokenBatch
    let cache: KVCache

    init(batch: TokenBatch, cache: KVCache, model: TransformerModel) throws(ModelError) {
        guard !batch.rows.isEmpty else { throw .invalidBatch("no rows") }
        if let bad = batch.logitRows.first(where: { !batch.rows.indices.contains($0) }) {
            throw .invalidBatch("logit row \(bad) is outside the \(batch.rows.count) rows")
        }
        for (i, row) in batch.rows.enumerated() where row.token < 0 || row.token >= model.config.vocabularySize {
            throw .tokenOutOfRange(token: row.token, index: i, vocabularySize: model.config.vocabularySize)
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
        self.model = model
        self.batch = batch
        self.cache = cache
    }

    func run() throws(ModelError) -> Logits {
        let config = model.config
        let n = batch.rows.count
        let hidden = config.hiddenSize
        let scratch = ForwardScratch(config: config, rows: n)
        defer { scratch.deallocate() }
        let x = scratch.residual  // (n, hidden): the residual stream
        let schedule = AttentionSchedule(batch: batch, headDim: config.headDim)
        let buffers = AttentionBuffers()
        // Rotation angles per row, shared by every layer.
        let angles = UnsafeMutablePointer<Float>.allocate(capacity: max(1, n * model.rope.angleCount))
        defer { angles.deallocate() }
        for (r, row) in batch.rows.enumerated() {
            model.rope.angles(position: row.position, into: angles + r * model.rope.angleCount)
        }

        // Token embeddings.
        for (r, row) in batch.rows.enumerated() {
            do { try model.weights.tokenEmbedding.embeddingRow(row.token, into: x + r * hidden) } catch { throw .tensor(error) }
        }

        for (l, layer) in model.weights.layers.enumerated() {
            // Attention (or its replacement): h = x + Attn(RMSNorm(x)).
            switch layer.attention {
            case .none:
                break
            case .linear(let norm, let output):
                RMSNorm.apply(rows: n, width: hidden, x, weight: norm, epsilon: config.normEpsilon, into: scratch.normed)
                output.matmul(scratch.normed, batch: n, into: scratch.delta, pool: model.pool)
                SIMDMath.add(scratch.delta, into: x, count: n * hidden)
            case .multiHead(let weights):
                guard let cachedLayer = cache.cachedLayerIndex[l] else {
                    throw .invalidBatch("layer \(l) has attention but no cache rows")
                }
                try attention(weights, cachedLayer: cachedLayer, scratch: scratch, schedule: schedule,
                              buffers: buffers, angles: angles)
            }
            // Feed-forward (or its replacement): x = h + FFN(RMSNorm(h)).
            switch layer.feedForward {
            case .none:
                break
            case .linear(let norm, let down):
                RMSNorm.apply(rows: n, width: hidden, x, weight: norm, epsilon: config.normEpsilon, into: scratch.normed)
                down.matmul(scratch.normed, batch: n, into: scratch.delta, pool: model.pool)
                SIMDMath.add(scratch.delta, into: x, count: n * hidden)
            case .swiGLU(let norm, let gate, let up, let down):
                RMSNorm.apply(rows: n, width: hidden, x, weight: norm, epsilon: config.normEpsilon, into: scratch.normed)
                gate.matmul(scratch.normed, batch: n, into: scratch.gate, pool: model.pool)
                up.matmul(scratch.normed, batch: n, into: scratch.up, pool: model.pool)
                SwiGLU.apply(gate: scratch.gate, up: scratch.up, count: n * gate.rows)
                down.matmul(scratch.gate, batch: n, into: scratch.delta, pool: model.pool)
                SIMDMath.add(scratch.delta, into: x, count: n * hidden)
            }
        }

        // Final norm and vocabulary projection, only for the rows whose logits are wanted.
        let m = batch.logitRows.count
        for (i, r) in batch.logitRows.enumerated() {
            RMSNorm.apply(x + r * hidden, weight: model.weights.outputNorm, epsilon: config.normEpsilon,
                          count: hidden, into: scratch.normed + i * hidden)
        }
        var logits = [Float](repeating: 0, count: m * config.vocabularySize)
        if m > 0 {
            logits.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                model.weights.output.matmul(scratch.normed, batch: m, into: base, pool: model.pool)
            }
        }
        return Logits(vocabularySize: config.vocabularySize, values: logits)
    }

    /// Grouped-query self-attention of one layer over the batch, added into the residual.
    private func attention(_ w: MultiHeadAttentionWeights, cachedLayer: Int, scratch: ForwardScratch,
                           schedule: AttentionSchedule, buffers: AttentionBuffers,
                           angles: UnsafePointer<Float>) throws(ModelError) {
        let config = model.config
        let n = batch.rows.count
        let hidden = config.hiddenSize
        let headDim = config.headDim
        let qWidth = w.heads * headDim
        let kvWidth = w.kvHeads * headDim
        let x = scratch.residual
        let q = scratch.query       // (n, heads * headDim)
        let k = scratch.key         // (n, kvHeads * headDim)
        let v = scratch.value       // (n, kvHeads * headDim)

        RMSNorm.apply(rows: n, width: hidden, x, weight: w.norm, epsilon: config.normEpsilon, into: scratch.normed)
        w.query.matmul(scratch.normed, batch: n, into: q, pool: model.pool)
        w.key.matmul(scratch.normed, batch: n, into: k, pool: model.pool)
        w.value.matmul(scratch.normed, batch: n, into: v, pool: model.pool)
        for r in 0..<n {
            if let bias = w.queryBias { SIMDMath.add(bias, into: q + r * qWidth, count: qWidth) }
            if let bias = w.keyBias { SIMDMath.add(bias, into: k + r * kvWidth, count: kvWidth) }
            if let bias = w.valueBias { SIMDMath.add(bias, into: v + r * kvWidth, count: kvWidth) }
        }

        // Rotate queries and keys by position; append keys and values to each sequence's cache.
        var cacheKeys: [UnsafeMutablePointer<Float16>] = []    // per row: (capacity, kvWidth)
        var cacheValues: [UnsafeMutablePointer<Float16>] = []
        for (r, row) in batch.rows.enumerated() {
            let rowAngles = angles + r * model.rope.angleCount
            model.rope.rotate(q + r * qWidth, heads: w.heads, headDim: headDim, angles: rowAngles)
            model.rope.rotate(k + r * kvWidth, heads: w.kvHeads, headDim: headDim, angles: rowAngles)
            let rows = try cache.rows(row.sequence, cachedLayer: cachedLayer)
            SIMDMath.toHalf(k + r * kvWidth, rows.keys + row.position * kvWidth, count: kvWidth)
            SIMDMath.toHalf(v + r * kvWidth, rows.values + row.position * kvWidth, count: kvWidth)
            cacheKeys.append(rows.keys)
            cacheValues.append(rows.values)
        }

        // softmax(q k^T / sqrt(d)) v per (row, head); a row sees its sequence up to its position.
        let out = scratch.attention   // (n, heads * headDim)
        LayerAttention(schedule: schedule, rows: batch.rows, heads: w.heads, kvHeads: w.kvHeads, headDim: headDim,
                       cacheKeys: cacheKeys, cacheValues: cacheValues)
            .run(queries: q, out: out, buffers: buffers, pool: model.pool)

        w.output.matmul(out, batch: n, into: scratch.delta, pool: model.pool)
        SIMDMath.add(scratch.delta, into: x, count: n * hidden)
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
            if case .swiGLU(let width) = layer.feedForward { maxFFN = max(maxFFN, width) }
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
