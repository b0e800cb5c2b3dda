/// How a backend samples judgments. Defaults follow NVIDIA's greedy judging (temperature 0,
/// top-p 1); voting uses sampling (NVIDIA: temperature 0.6, top-p 0.95).
public struct JudgeSettings: Sendable, Hashable, Codable {
    /// 0 = greedy.
    public var temperature: Double
    /// Nucleus mass, in (0, 1].
    public var topP: Double
    /// Keep the k likeliest tokens; 0 = off.
    public var topK: Int
    /// Drop tokens below min-p x the top probability, in [0, 1].
    public var minP: Double
    /// Vote i samples with seed + i, so a run is reproducible.
    public var seed: UInt64
    /// Cap on generated tokens per vote; nil = the backend's default (free generation: what the
    /// context leaves).
    public var maxTokens: Int?
    /// Decode the output skeleton under constraint (markers forced, score digits restricted and
    /// read out as probabilities). Backends that cannot constrain decoding generate freely.
    public var structured: Bool
    /// Structured decoding: token budget of the reasoning before `</think>` (0 = none).
    public var reasoningTokens: Int
    /// Structured decoding: token budget of each response's analysis.
    public var analysisTokens: Int

    public init(
        temperature: Double = 0, topP: Double = 1, topK: Int = 0, minP: Double = 0, seed: UInt64 = 1,
        maxTokens: Int? = nil, structured: Bool = true, reasoningTokens: Int = 96, analysisTokens: Int = 64
    ) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.seed = seed
        self.maxTokens = maxTokens
        self.structured = structured
        self.reasoningTokens = reasoningTokens
        self.analysisTokens = analysisTokens
    }

    /// NVIDIA's settings for sampled judging (voting).
    public static let sampled = JudgeSettings(temperature: 0.6, topP: 0.95)

    /// Rejects out-of-range values, naming the field.
    public func validate() throws(JudgeSettingsError) {
        guard temperature.isFinite, temperature >= 0 else { throw .outOfRange(field: "temperature", value: "\(temperature)", rule: "must be >= 0") }
        guard topP.isFinite, topP > 0, topP <= 1 else { throw .outOfRange(field: "top_p", value: "\(topP)", rule: "must be in (0, 1]") }
        guard topK >= 0 else { throw .outOfRange(field: "top_k", value: "\(topK)", rule: "must be >= 0 (0 = off)") }
        guard minP.isFinite, minP >= 0, minP <= 1 else { throw .outOfRange(field: "min_p", value: "\(minP)", rule: "must be in [0, 1]") }
        if let maxTokens, maxTokens < 1 { throw .outOfRange(field: "max_tokens", value: "\(maxTokens)", rule: "must be >= 1") }
        guard reasoningTokens >= 0 else { throw .outOfRange(field: "reasoning_tokens", value: "\(reasoningTokens)", rule: "must be >= 0") }
        guard analysisTokens >= 0 else { throw .outOfRange(field: "analysis_tokens", value: "\(analysisTokens)", rule: "must be >= 0") }
    }

    private enum CodingKeys: String, CodingKey {
        case temperature
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case seed
        case maxTokens = "max_tokens"
        case structured
        case reasoningTokens = "reasoning_tokens"
        case analysisTokens = "analysis_tokens"
    }
}

public enum JudgeSettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    case outOfRange(field: String, value: String, rule: String)

    public var field: String {
        switch self { case .outOfRange(let field, _, _): field }
    }

    public var description: String {
        switch self {
        case .outOfRange(let field, let value, let rule): "\(field) = \(value) is out of range: \(rule)"
        }
    }
}
