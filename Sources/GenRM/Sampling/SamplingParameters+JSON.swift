import JSON

extension SamplingParameters {
    /// Reads a request body's sampling fields (OpenAI's and vLLM's names): `temperature`, `top_p`,
    /// `top_k` (-1 or 0 = off, as vLLM spells it), `min_p`, `seed` (any 64-bit integer, taken as
    /// its bit pattern), `logit_bias` (token id strings to numbers), and vLLM's
    /// `presence_penalty`, `frequency_penalty`, `repetition_penalty` and `min_tokens`. An absent field keeps its
    /// value from `defaults`; the result is range-checked by ``validate()``, the error naming the field.
    public init<Failure>(_ fields: JSONFields<Failure>, defaults: SamplingParameters) throws(Failure) {
        self = defaults
        if let temperature = try fields.double("temperature") { self.temperature = temperature }
        if let topP = try fields.double("top_p") { self.topP = topP }
        if let k = try fields.int("top_k") {
            guard k >= -1 else { throw fields.fail("top_k", "= \(k) is out of range: must be -1 (off), 0 (off) or positive") }
            topK = max(0, k)
        }
        if let minP = try fields.double("min_p") { self.minP = minP }
        if let seed = try fields.int("seed") { self.seed = UInt64(bitPattern: Int64(seed)) }
        if let bias = try fields.object("logit_bias") { logitBias = try Self.logitBias(bias, fields) }
        if let penalty = try fields.double("presence_penalty") { presencePenalty = penalty }
        if let penalty = try fields.double("frequency_penalty") { frequencyPenalty = penalty }
        if let penalty = try fields.double("repetition_penalty") { repetitionPenalty = penalty }
        if let count = try fields.int("min_tokens") { minTokens = count }
        do {
            try validate()
        } catch {
            throw fields.fail(error.field, "= \(error.value) is out of range: \(error.rule)")
        }
    }

    /// `logit_bias`: keys are token ids written as strings, values numbers. Whether the ids are in
    /// the vocabulary is checked where the model is known; the range by ``validate()``.
    private static func logitBias<Failure>(_ object: JSONObject, _ fields: JSONFields<Failure>) throws(Failure) -> [Int: Float] {
        var bias: [Int: Float] = [:]
        for (key, value) in object.entries {
            guard let token = Int(key), token >= 0 else {
                throw fields.fail("logit_bias", "key \"\(key)\" is not a token id: keys must be non-negative integers")
            }
            guard let number = value.number else { throw fields.fail("logit_bias[\"\(key)\"]", "must be a number, found \(value.kind)") }
            bias[token] = number.isFinite && abs(number) <= 1e6 ? Float(number) : .infinity
        }
        return bias
    }
}

extension JSONFields {
    /// The cap on generated tokens: `max_completion_tokens`, which wins over the deprecated
    /// `max_tokens` (OpenAI and vLLM), with the field it came from (errors name it); >= 1.
    /// Each one given is checked, the losing one included (a request is not half checked).
    public func maxTokens() throws(Failure) -> (value: Int?, field: String) {
        for field in ["max_tokens", "max_completion_tokens"] {
            if let value = try int(field), value < 1 { throw fail(field, "= \(value) is out of range: must be >= 1") }
        }
        let field = has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens"
        return (try int(field), field)
    }

    /// vLLM's rule between `min_tokens` and the cap on generated tokens (`field` names the cap).
    public func checkMinTokens(_ minTokens: Int, against maxTokens: Int?, field: String) throws(Failure) {
        guard let maxTokens, minTokens > maxTokens else { return }
        throw fail("min_tokens", "= \(minTokens) is out of range: must be <= `\(field)` (\(maxTokens))")
    }
}
