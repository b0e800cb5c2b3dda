import GenRM

/// Chooses next tokens for one sequence: greedy arg-max, or a seeded draw from the logits after
/// temperature, top-k, top-p and min-p. Before either, the logits take `logit_bias`, the
/// `min_tokens` mask and the repetition penalties, which read the sequence's history (its prompt
/// and what this sampler drew). One sampler per sequence keeps each stream reproducible.
public struct Sampler: Sendable {
    public let parameters: SamplingParameters
    private var random: RandomSource
    private var history: TokenHistory
    /// What `min_tokens` bars until enough tokens were drawn (EOS, end of turn, `stop_token_ids`).
    private let stopTokens: Set<Int>
    /// Whether anything reads the history (without penalties or `min_tokens` nothing is kept).
    private var tracksHistory: Bool { parameters.hasPenalties || parameters.minTokens > 0 }

    /// A sampler for a sequence that starts after `prompt`.
    public init(_ parameters: SamplingParameters, prompt: [Int] = [], stopTokens: Set<Int> = []) throws(SamplingError) {
        try Self.check(parameters)
        self.parameters = parameters
        random = RandomSource(seed: parameters.seed)
        history = TokenHistory(prompt: parameters.repetitionPenalty != 1 ? prompt : [])
        self.stopTokens = stopTokens
    }

    /// The next token for `logits` (vocabulary), recorded in the history. Masked tokens carry -infinity.
    public mutating func sample(_ raw: [Float]) throws(SamplingError) -> Int {
        var logits = Sampler.biased(raw, parameters.logitBias)
        guard tracksHistory else { return try pick(logits) }
        history.adjust(&logits, parameters, stopTokens: stopTokens)
        let token = try pick(logits)
        history.record(token)
        return token
    }

    private mutating func pick(_ logits: [Float]) throws(SamplingError) -> Int {
        if parameters.isGreedy {
            guard let best = Sampler.argmax(logits) else { throw .noCandidates }
            return best
        }
        let pool = try Sampler.candidates(logits, parameters)
        var target = random.nextUnit() * pool.totalWeight
        for candidate in pool.tokens {
            target -= Double(candidate.weight)
            if target < 0 { return candidate.token }
        }
        // Rounding can leave a sliver of mass past the last token; it belongs to that token.
        guard let last = pool.tokens.last else { throw .noCandidates }
        return last.token
    }

    /// `logits` with `bias` added to the named tokens (ids outside the vocabulary are ignored;
    /// callers check them against the vocabulary first).
    public static func biased(_ logits: [Float], _ bias: [Int: Float]) -> [Float] {
        guard !bias.isEmpty else { return logits }
        var adjusted = logits
        for (token, value) in bias where token >= 0 && token < adjusted.count { adjusted[token] += value }
        return adjusted
    }

    /// The index of the largest logit (the first on ties), nil when none is finite or +inf.
    public static func argmax(_ logits: [Float]) -> Int? {
        var best: Int?
        var bestValue = -Float.infinity
        for (i, v) in logits.enumerated() where v > bestValue {
            best = i
            bestValue = v
        }
        return best
    }

    /// The tokens that survive the filters with their probabilities (summing to 1), most likely
    /// first, for a sequence with no history (no penalty or `min_tokens` applies). For greedy
    /// parameters, the arg-max alone.
    public static func distribution(_ raw: [Float], _ parameters: SamplingParameters) throws(SamplingError) -> [(token: Int, probability: Double)] {
        try check(parameters)
        let logits = biased(raw, parameters.logitBias)
        if parameters.isGreedy {
            guard let best = argmax(logits) else { throw .noCandidates }
            return [(best, 1)]
        }
        let pool = try candidates(logits, parameters)
        return pool.tokens
            .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.token < $1.token }
            .map { ($0.token, Double($0.weight) / pool.totalWeight) }
    }

    /// Surviving tokens with unnormalised weights `e^((logit - max) / temperature)` (the most
    /// likely has weight 1) and the sum of those weights.
    struct CandidatePool {
        var tokens: [(token: Int, weight: Float)]
        var totalWeight: Double
    }

    static func candidates(_ logits: [Float], _ parameters: SamplingParameters) throws(SamplingError) -> CandidatePool {
        var maxLogit = -Float.infinity
        for v in logits where v > maxLogit { maxLogit = v }
        guard maxLogit.isFinite else { throw .noCandidates }
        let inverseTemperature = 1 / Float(parameters.temperature)
        var weights = [Float](repeating: 0, count: logits.count)
        var total = 0.0
        logits.withUnsafeBufferPointer { l in
            weights.withUnsafeMutableBufferPointer { w in
                for i in 0..<l.count {
                    let e = l[i].isNaN ? 0 : SIMDMath.exp((l[i] - maxLogit) * inverseTemperature)
                    w[i] = e
                    total += Double(e)
                }
            }
        }
        let minWeight = Float(parameters.minP)
        let needsOrder = (parameters.topK > 0 && parameters.topK < logits.count) || parameters.topP < 1
        guard needsOrder else {
            // min-p alone: a threshold on weights (relative to the top weight of 1), id order.
            var tokens: [(token: Int, weight: Float)] = []
            var kept = 0.0
            for (i, w) in weights.enumerated() where w > 0 && w >= minWeight {
                tokens.append((i, w))
                kept += Double(w)
            }
            return CandidatePool(tokens: tokens, totalWeight: kept)
        }
        // Sort only the heavy tokens: lower the cut until it provably holds the top-k / top-p set.
        var cut: Float = 1e-3
        while true {
            var heavy: [(token: Int, weight: Float)] = []
            for (i, w) in weights.enumerated() where w > 0 && w >= cut { heavy.append((i, w)) }
            heavy.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.token < $1.token }
            if let pool = filtered(heavy, totalWeight: total, parameters: parameters, complete: cut == 0) {
                return pool
            }
            cut = cut > 1e-9 ? cut * 1e-3 : 0
        }
    }

    /// Applies top-k, top-p and min-p to `sorted` (most likely first). Nil when `sorted` is only
    /// the heavy part of the vocabulary and the answer could depend on lighter tokens.
    private static func filtered(
        _ sorted: [(token: Int, weight: Float)], totalWeight: Double, parameters: SamplingParameters, complete: Bool
    ) -> CandidatePool? {
        var kept = sorted
        var mass = totalWeight
        if parameters.topK > 0 {
            if kept.count >= parameters.topK {
                kept.removeSubrange(parameters.topK...)
                mass = kept.reduce(0) { $0 + Double($1.weight) }
            } else if !complete {
                return nil
            }
        }
        if parameters.topP < 1 {
            let target = parameters.topP * mass
            var cumulative = 0.0
            var count = 0
            while count < kept.count, cumulative < target {
                cumulative += Double(kept[count].weight)
                count += 1
            }
            if cumulative < target && !complete && count == kept.count && parameters.topK == 0 { return nil }
            kept.removeSubrange(count...)
        }
        kept.removeAll { $0.weight < Float(parameters.minP) }
        return CandidatePool(tokens: kept, totalWeight: kept.reduce(0) { $0 + Double($1.weight) })
    }

    /// The parameters' range check (``SamplingParameters/validate()``) as a sampling error.
    static func check(_ parameters: SamplingParameters) throws(SamplingError) {
        do {
            try parameters.validate()
        } catch {
            throw .invalidParameter(error)
        }
    }
}

/// Why a token could not be sampled.
public enum SamplingError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidParameter(ParameterRangeError)
    /// Every logit is -infinity or NaN (for example, a mask that allows nothing).
    case noCandidates

    public var description: String {
        switch self {
        case .invalidParameter(let error):
            "invalid sampling parameter: \(error)"
        case .noCandidates:
            "no token can be sampled: every logit is -infinity or NaN"
        }
    }
}
