/// `x += W_down (act(W_gate n) * W_up n)`, `n = RMSNorm(x)`: the gated feed-forward of the
/// Llama family (SiLU: SwiGLU).
struct GatedFeedForward: ResidualBranch {
    let norm: [Float]        // (hidden)
    let gate: WeightMatrix   // (width, hidden)
    let up: WeightMatrix     // (width, hidden)
    let down: WeightMatrix   // (hidden, width)

    func apply(_ pass: ForwardPass, layer: Int) throws(ModelError) {
        let n = pass.rows, hidden = pass.config.hiddenSize
        let scratch = pass.scratch
        RMSNorm.apply(rows: n, width: hidden, pass.residual, weight: norm, epsilon: pass.config.normEpsilon, into: scratch.normed)
        gate.matmul(scratch.normed, batch: n, into: scratch.gate, pool: pass.pool)
        up.matmul(scratch.normed, batch: n, into: scratch.up, pool: pass.pool)
        SwiGLU.apply(gate: scratch.gate, up: scratch.up, count: n * gate.rows)
        down.matmul(scratch.gate, batch: n, into: scratch.delta, pool: pass.pool)
        SIMDMath.add(scratch.delta, into: pass.residual, count: n * hidden)
    }
}
