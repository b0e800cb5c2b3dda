/// Grouped-query self-attention over the KV cache: `x += post(W_o Attn(rope(qn(W_q n)), rope(kn(W_k n)), W_v n))`,
/// `n = RMSNorm(x)`, with what the architectures vary: biases on the projections (Qwen2), RMS
/// norms of each query and key head before rope and of the output before it is added, and a
/// sliding window over the most recent positions (Gemma 3).
struct SelfAttention: ResidualBranch {
    let heads: Int
    let kvHeads: Int
    let norm: [Float]               // (hidden)
    let query: WeightMatrix         // (heads * headDim, hidden)
    let key: WeightMatrix           // (kvHeads * headDim, hidden)
    let value: WeightMatrix         // (kvHeads * headDim, hidden)
    let output: WeightMatrix        // (hidden, heads * headDim)
    let queryBias: [Float]?         // (heads * headDim)
    let keyBias: [Float]?           // (kvHeads * headDim)
    let valueBias: [Float]?         // (kvHeads * headDim)
    /// Index of this layer's rotary table in `DecoderStack.ropes`.
    var ropeTable: Int
    /// Per-head RMS norm weights of queries and keys, (headDim) each (Gemma 3's QK-norm).
    var queryNorm: [Float]? = nil
    var keyNorm: [Float]? = nil
    /// RMS norm of the projected output before it is added (Gemma's `post_attention_norm`).
    var postNorm: [Float]? = nil
    /// A position attends to at most this many most recent positions, itself included (nil: all).
    var window: Int? = nil

    func apply(_ pass: ForwardPass, layer: Int) throws(ModelError) {
        guard let cachedLayer = pass.cache.cachedLayerIndex[layer] else {
            throw .invalidBatch("layer \(layer) has attention but no cache rows")
        }
        let config = pass.config
        let scratch = pass.scratch
        let n = pass.rows
        let hidden = config.hiddenSize
        let headDim = config.headDim
        let qWidth = heads * headDim
        let kvWidth = kvHeads * headDim
        let x = pass.residual
        let q = scratch.query       // (n, heads * headDim)
        let k = scratch.key         // (n, kvHeads * headDim)
        let v = scratch.value       // (n, kvHeads * headDim)

        RMSNorm.apply(rows: n, width: hidden, x, weight: norm, epsilon: config.normEpsilon, into: scratch.normed, pool: pass.pool)
        query.matmul(scratch.normed, batch: n, into: q, pool: pass.pool)
        key.matmul(scratch.normed, batch: n, into: k, pool: pass.pool)
        value.matmul(scratch.normed, batch: n, into: v, pool: pass.pool)

        // Per row: biases, QK norms, rotation by position, keys and values appended to its
        // sequence's cache (rows of one prefill spread over the pool).
        let rope = pass.stack.ropes[ropeTable]
        let angles = pass.angles(table: ropeTable)
        var cacheKeys: [UnsafeMutablePointer<Float16>] = []    // per row: (capacity, kvWidth)
        var cacheValues: [UnsafeMutablePointer<Float16>] = []
        for row in pass.batch.rows {
            let rows = try pass.cache.rows(row.sequence, cachedLayer: cachedLayer)
            cacheKeys.append(rows.keys)
            cacheValues.append(rows.values)
        }
        let positions = pass.batch.rows.map(\.position)
        pass.pool.parallelChunks(n, minimumChunk: 16) { part in
            for r in part {
                let (qRow, kRow, vRow) = (q + r * qWidth, k + r * kvWidth, v + r * kvWidth)
                if let bias = queryBias { SIMDMath.add(bias, into: qRow, count: qWidth) }
                if let bias = keyBias { SIMDMath.add(bias, into: kRow, count: kvWidth) }
                if let bias = valueBias { SIMDMath.add(bias, into: vRow, count: kvWidth) }
                if let queryNorm {
                    RMSNorm.apply(rows: heads, width: headDim, qRow, weight: queryNorm, epsilon: config.normEpsilon, into: qRow)
                }
                if let keyNorm {
                    RMSNorm.apply(rows: kvHeads, width: headDim, kRow, weight: keyNorm, epsilon: config.normEpsilon, into: kRow)
                }
                let rowAngles = angles + r * rope.angleCount
                rope.rotate(qRow, heads: heads, headDim: headDim, angles: rowAngles)
                rope.rotate(kRow, heads: kvHeads, headDim: headDim, angles: rowAngles)
                SIMDMath.toHalf(kRow, cacheKeys[r] + positions[r] * kvWidth, count: kvWidth)
                SIMDMath.toHalf(vRow, cacheValues[r] + positions[r] * kvWidth, count: kvWidth)
            }
        }

        // softmax(q k^T / sqrt(d)) v per (row, head); a row sees its sequence up to its position.
        let out = scratch.attention   // (n, heads * headDim)
        LayerAttention(schedule: pass.schedule, rows: pass.batch.rows, heads: heads, kvHeads: kvHeads, headDim: headDim,
                       cacheKeys: cacheKeys, cacheValues: cacheValues, window: window)
            .run(queries: q, out: out, buffers: pass.buffers, pool: pass.pool)

        output.matmul(out, batch: n, into: scratch.delta, pool: pass.pool)
        if let postNorm {
            RMSNorm.apply(rows: n, width: hidden, scratch.delta, weight: postNorm, epsilon: config.normEpsilon, into: scratch.delta,
                          pool: pass.pool)
        }
        SIMDMath.add(scratch.delta, into: x, count: n * hidden, pool: pass.pool)
    }
}
