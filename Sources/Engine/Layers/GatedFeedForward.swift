/// `x += post(W_down (act(W_gate n) * W_up n))`, `n = RMSNorm(x)`: the gated feed-forward of the
/// Llama family (SiLU: SwiGLU) and of Gemma (GELU-tanh, with a norm after the projection).
struct GatedFeedForward: ResidualBranch {
    enum Activation: Sendable {
        case silu
        case geluTanh
    }

    let norm: [Float]        // (hidden)
    let gate: WeightMatrix   // (width, hidden)
    let up: WeightMatrix     // (width, hidden)
    let down: WeightMatrix   // (hidden, width)
    var activation = Activation.silu
    /// RMS norm of the branch's output before it is added (Gemma's `post_ffw_norm`).
    var postNorm: [Float]? = nil

    func apply(_ pass: ForwardPass, layer: Int) throws(ModelError) {
        let n = pass.rows, hidden = pass.config.hiddenSize
        let scratch = pass.scratch
        RMSNorm.apply(rows: n, width: hidden, pass.residual, weight: norm, epsilon: pass.config.normEpsilon, into: scratch.normed,
                      pool: pass.pool)
        gate.matmul(scratch.normed, batch: n, into: scratch.gate, pool: pass.pool)
        up.matmul(scratch.normed, batch: n, into: scratch.up, pool: pass.pool)
        // A prefill's activations spread over the pool.
        pass.pool.parallelChunks(n * gate.rows, minimumChunk: 1 << 14, alignment: 16) { part in
            let (g, u) = (scratch.gate + part.lowerBound, scratch.up + part.lowerBound)
            switch activation {
            case .silu: SwiGLU.apply(gate: g, up: u, count: part.count)
            case .geluTanh: GeluGate.apply(gate: g, up: u, count: part.count)
            }
        }
        down.matmul(scratch.gate, batch: n, into: scratch.delta, pool: pass.pool)
        if let postNorm {
            RMSNorm.apply(rows: n, width: hidden, scratch.delta, weight: postNorm, epsilon: pass.config.normEpsilon, into: scratch.delta,
                          pool: pass.pool)
        }
        SIMDMath.add(scratch.delta, into: pass.residual, count: n * hidden, pool: pass.pool)
    }
}
