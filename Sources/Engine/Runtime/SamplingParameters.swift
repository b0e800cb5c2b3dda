/// How the next token is chosen from the logits. Filters apply in the order
/// temperature -> top-k -> top-p -> min-p (as in Hugging Face `generate`).
public struct SamplingParameters: Sendable, Equatable {
    /// 0 picks the arg-max (greedy); otherwise logits are divided by it before the softmax.
    public var temperature: Float
    /// Keep only the `topK` most likely tokens; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose mass reaches `topP`; 1 keeps all.
    public var topP: Float
    /// Drop tokens less likely than `minP` times the most likely one; 0 keeps all.
    public var minP: Float
    /// Seed of the per-sequence random stream.
    public var seed: UInt64
    /// Added to the named tokens' logits before anything else (OpenAI's `logit_bias`): -100
    /// practically bans a token, +100 practically forces it.
    public var logitBias: [Int: Float]

    public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, minP: Float = 0, seed: UInt64 = 0, logitBias: [Int: Float] = [:]) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.seed = seed
        self.logitBias = logitBias
    }

    /// The largest bias magnitude `logitBias` accepts (OpenAI's range).
    public static let maxLogitBias: Float = 100

    public static let greedy = SamplingParameters()

    public var isGreedy: Bool { temperature == 0 }

    /// Checks every field; the error names the first bad one.
    public func validate() throws(SamplingError) {
        guard temperature >= 0, temperature.isFinite else { throw .invalidParameter(name: "temperature", value: "\(temperature)") }
        guard topK >= 0 else { throw .invalidParameter(name: "top_k", value: "\(topK)") }
        guard topP > 0, topP <= 1 else { throw .invalidParameter(name: "top_p", value: "\(topP)") }
        guard minP >= 0, minP <= 1 else { throw .invalidParameter(name: "min_p", value: "\(minP)") }
        for (token, bias) in logitBias.sorted(by: { $0.key < $1.key }) {
            guard token >= 0, bias.isFinite, abs(bias) <= Self.maxLogitBias else {
                throw .invalidParameter(name: "logit_bias", value: "\(token): \(bias)")
            }
        }
    }
}

/// Why a token could not be sampled.
public enum SamplingError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidParameter(name: String, value: String)
    /// Every logit is -infinity or NaN (for example, a mask that allows nothing).
    case noCandidates

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value):
            return "invalid sampling parameter \(name) = \(value)"
        case .noCandidates:
            return "no token can be sampled: every logit is -infinity or NaN"
        }
    }
}
