/// `x += W * RMSNorm(x)` with a hidden x hidden matrix: DeciLM's replace-with-linear, in the
/// attention or the feed-forward slot.
struct LinearReplacement: ResidualBranch {
    let norm: [Float]        // (hidden)
    let weight: WeightMatrix // (hidden, hidden)

    func apply(_ pass: ForwardPass, layer: Int) throws(ModelError) {
        let n = pass.rows, hidden = pass.config.hiddenSize
        RMSNorm.apply(rows: n, width: hidden, pass.residual, weight: norm, epsilon: pass.config.normEpsilon, into: pass.scratch.normed,
                      pool: pass.pool)
        weight.matmul(pass.scratch.normed, batch: n, into: pass.scratch.delta, pool: pass.pool)
        SIMDMath.add(pass.scratch.delta, into: pass.residual, count: n * hidden, pool: pass.pool)
    }
}
