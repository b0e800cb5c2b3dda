import Foundation
import Tokenizers

/// Log-probabilities of the raw next-token distribution (before temperature and filters).
enum LogprobReadout {
    static func logprob(of token: Int, in logits: [Float], top k: Int, tokenizer: Tokenizer) -> TokenLogprob {
        var maxLogit = -Float.infinity
        for v in logits where v > maxLogit { maxLogit = v }
        var sum = 0.0
        for v in logits where v.isFinite { sum += Foundation.exp(Double(v - maxLogit)) }
        let logNormalizer = Double(maxLogit) + Foundation.log(sum)
        func logprob(_ id: Int) -> Double { Double(logits[id]) - logNormalizer }
        var alternatives: [TokenLogprob.Alternative] = []
        if k > 0 {
            let best = topIndices(logits, count: k)
            alternatives = best.map { .init(token: $0, bytes: tokenizer.tokenBytes($0) ?? [], logprob: logprob($0)) }
        }
        let value = logits[token]
        var above = 0
        for v in logits where v > value { above += 1 }
        return TokenLogprob(
            token: token, bytes: tokenizer.tokenBytes(token) ?? [], logprob: logprob(token), rank: above + 1, top: alternatives)
    }

    /// Indices of the `count` largest values, largest first (lower index first on ties).
    static func topIndices(_ values: [Float], count: Int) -> [Int] {
        var best: [(index: Int, value: Float)] = []
        best.reserveCapacity(count + 1)
        for (i, v) in values.enumerated() where v.isFinite {
            if best.count == count, let last = best.last, v <= last.value { continue }
            let at = best.firstIndex { v > $0.value } ?? best.count
            best.insert((i, v), at: at)
            if best.count > count { best.removeLast() }
        }
        return best.map(\.index)
    }
}
