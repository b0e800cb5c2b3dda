import ChatTemplates
import Engine

/// The sampling fields shared by `/v1/chat/completions` and `/v1/judge`, range-checked with the
/// offending field named. Defaults are vLLM's (temperature 1, top-p 1, no top-k, no min-p).
struct SamplingOptions: Sendable, Equatable {
    var temperature: Double?
    var topP: Double?
    var topK: Int?
    var minP: Double?
    var seed: UInt64?
    var maxTokens: Int?
    /// OpenAI's `logit_bias` (token id -> bias in [-100, 100]); chat completions only.
    var logitBias: [Int: Float] = [:]
    /// Which field gave `maxTokens` (errors name it).
    var maxTokensField = "max_tokens"

    init(temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil, minP: Double? = nil, seed: UInt64? = nil, maxTokens: Int? = nil) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.seed = seed
        self.maxTokens = maxTokens
    }

    init(_ fields: JSONFields) throws(OpenAIError) {
        temperature = try fields.double("temperature")
        if let temperature, !(temperature >= 0 && temperature.isFinite) {
            throw .badRequest("`temperature` = \(temperature) is out of range: must be >= 0", param: "temperature")
        }
        topP = try fields.double("top_p")
        if let topP, !(topP > 0 && topP <= 1) {
            throw .badRequest("`top_p` = \(topP) is out of range: must be in (0, 1]", param: "top_p")
        }
        // vLLM spells "no top-k" as -1 (and 0).
        if let k = try fields.int("top_k") {
            guard k >= -1 else { throw .badRequest("`top_k` = \(k) is out of range: must be -1 (off), 0 (off) or positive", param: "top_k") }
            topK = max(0, k)
        }
        minP = try fields.double("min_p")
        if let minP, !(minP >= 0 && minP <= 1) {
            throw .badRequest("`min_p` = \(minP) is out of range: must be in [0, 1]", param: "min_p")
        }
        seed = try fields.int("seed").map { UInt64(bitPattern: Int64($0)) }
        // max_completion_tokens wins over the deprecated max_tokens (OpenAI and vLLM).
        let field = fields.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens"
        maxTokensField = field
        maxTokens = try fields.int(field)
        if let maxTokens, maxTokens < 1 {
            throw .badRequest("`\(field)` = \(maxTokens) is out of range: must be >= 1", param: field)
        }
    }

    /// Reads `logit_bias`: keys are token ids written as strings, values numbers in [-100, 100].
    /// Whether the ids are in the vocabulary is checked where the model is known.
    static func logitBias(_ fields: JSONFields) throws(OpenAIError) -> [Int: Float] {
        guard let object = try fields.object("logit_bias") else { return [:] }
        var bias: [Int: Float] = [:]
        for key in object.keys {
            guard let token = Int(key), token >= 0 else {
                throw .badRequest("`logit_bias` key \"\(key)\" is not a token id: keys must be non-negative integers", param: "logit_bias")
            }
            let value: Double
            switch object[key] {
            case .int(let number)?: value = Double(number)
            case .double(let number)?: value = number
            default:
                throw .badRequest("`logit_bias[\"\(key)\"]` must be a number", param: "logit_bias")
            }
            guard value.isFinite, abs(value) <= Double(SamplingParameters.maxLogitBias) else {
                throw .badRequest("`logit_bias[\"\(key)\"]` = \(value) is out of range: must be in [-100, 100]", param: "logit_bias")
            }
            bias[token] = Float(value)
        }
        return bias
    }
}
