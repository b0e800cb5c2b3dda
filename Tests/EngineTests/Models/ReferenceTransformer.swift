import Foundation
import Formats
@testable import Engine

/// The slow, obvious forward pass the engine is held to: every tensor dequantised to doubles
/// with the reference dequantiser, one position at a time, full causal attention recomputed
/// from scratch, rope and softmax written out from their definitions. Shares no code with the
/// engine's forward, kernels or cache. Its one concession to the engine is the engine's stated
/// attention contract: keys, values, the query and the attention weights pass through half
/// precision (llama.cpp's f16 cache path).
struct ReferenceTransformer {
    let config: ModelConfig
    let file: GGUFFile

    /// A tensor as doubles, row-major (rows, ne0).
    func tensor(_ name: String) throws -> [Double] {
        let info = try file.tensor(name)
        let bytes = try file.bytes(of: info)
        return try info.type.dequantizeReference(row: bytes).map(Double.init)
    }

    func tensorIfPresent(_ name: String) throws -> [Double]? {
        file.tensorIfPresent(name) == nil ? nil : try tensor(name)
    }

    /// `W x` for `W` of shape (rows, cols).
    func linear(_ w: [Double], _ x: [Double]) -> [Double] {
        let cols = x.count
        return (0..<(w.count / cols)).map { r in
            var sum = 0.0
            for c in 0..<cols { sum += w[r * cols + c] * x[c] }
            return sum
        }
    }

    func rmsNorm(_ x: [Double], _ w: [Double]) -> [Double] {
        let meanSquare = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
        let scale = 1 / (meanSquare + Double(config.normEpsilon)).squareRoot()
        return zip(x, w).map { $0 * scale * $1 }
    }

    /// Rotates every head of `x` (heads * headDim) for `position`.
    func rope(_ x: [Double], position: Int) -> [Double] {
        var out = x
        let d = config.headDim
        let dims = config.rope.dimensions
        for head in 0..<(x.count / d) {
            for i in 0..<(dims / 2) {
                var theta = Double(position) * Foundation.pow(config.rope.base, -Double(2 * i) / Double(dims)) * config.rope.scale
                if let divisors = config.rope.frequencyDivisors { theta /= Double(divisors[i]) }
                let (a, b) = config.rope.pairing == .adjacent ? (head * d + 2 * i, head * d + 2 * i + 1) : (head * d + i, head * d + i + dims / 2)
                out[a] = x[a] * Foundation.cos(theta) - x[b] * Foundation.sin(theta)
                out[b] = x[a] * Foundation.sin(theta) + x[b] * Foundation.cos(theta)
            }
        }
        return out
    }

    /// Logits after every position of `tokens`: (tokens.count, vocabulary).
    func logits(_ tokens: [Int]) throws -> [[Double]] {
        let d = config.headDim
        let embedding = try tensor("token_embd.weight")
        var xs = tokens.map { Array(embedding[($0 * config.hiddenSize)..<(($0 + 1) * config.hiddenSize)]) }
        for (l, layer) in config.layers.enumerated() {
            let p = "blk.\(l)."
            switch layer.attention {
            case .none:
                break
            case .linear:
                let norm = try tensor(p + "attn_norm.weight")
                let w = try tensor(p + "attn_output.weight")
                xs = xs.map { x in zip(x, linear(w, rmsNorm(x, norm))).map { $0 + $1 } }
            case .multiHead(let heads, let kvHeads):
                let norm = try tensor(p + "attn_norm.weight")
                let (wq, wk, wv, wo) = (try tensor(p + "attn_q.weight"), try tensor(p + "attn_k.weight"),
                                        try tensor(p + "attn_v.weight"), try tensor(p + "attn_output.weight"))
                let (bq, bk, bv) = (try tensorIfPresent(p + "attn_q.bias"), try tensorIfPresent(p + "attn_k.bias"),
                                    try tensorIfPresent(p + "attn_v.bias"))
                let addBias = { (v: [Double], b: [Double]?) in b.map { zip(v, $0).map { $0 + $1 } } ?? v }
                let normed = xs.map { rmsNorm($0, norm) }
                let half = { (v: [Double]) in v.map { Double(Float16(Float($0))) } }
                let q = normed.enumerated().map { half(rope(addBias(linear(wq, $1), bq), position: $0)) }
                let k = normed.enumerated().map { half(rope(addBias(linear(wk, $1), bk), position: $0)) }
                let v = normed.map { half(addBias(linear(wv, $0), bv)) }
                for t in 0..<xs.count {
                    var attended = [Double](repeating: 0, count: heads * d)
                    for h in 0..<heads {
                        let kvHead = h / (heads / kvHeads)
                        let scores = (0...t).map { s in
                            (0..<d).reduce(0.0) { $0 + q[t][h * d + $1] * k[s][kvHead * d + $1] } / Double(d).squareRoot()
                        }
                        let top = scores.max() ?? 0
                        let weights = scores.map { Foundation.exp($0 - top) }
                        let total = weights.reduce(0, +)
                        for s in 0...t {
                            let p = Double(Float16(Float(weights[s] / total)))
                            for j in 0..<d { attended[h * d + j] += p * v[s][kvHead * d + j] }
                        }
                    }
                    xs[t] = zip(xs[t], linear(wo, attended)).map { $0 + $1 }
                }
            }
            switch layer.feedForward {
            case .none:
                break
            case .linear:
                let norm = try tensor(p + "ffn_norm.weight")
                let w = try tensor(p + "ffn_down.weight")
                xs = xs.map { x in zip(x, linear(w, rmsNorm(x, norm))).map { $0 + $1 } }
            case .gated:
                let norm = try tensor(p + "ffn_norm.weight")
                let (gate, up, down) = (try tensor(p + "ffn_gate.weight"), try tensor(p + "ffn_up.weight"), try tensor(p + "ffn_down.weight"))
                xs = xs.map { x in
                    let n = rmsNorm(x, norm)
                    let inner = zip(linear(gate, n), linear(up, n)).map { g, u in g / (1 + Foundation.exp(-g)) * u }
                    return zip(x, linear(down, inner)).map { $0 + $1 }
                }
            }
        }
        let outputNorm = try tensor("output_norm.weight")
        let output = try tensorIfPresent("output.weight") ?? embedding
        return xs.map { linear(output, rmsNorm($0, outputNorm)) }
    }
}
