import ChatTemplates
import Engine
import GenRM

/// A chat completion turned into work for the scheduler.
struct CompletionPlan: Sendable {
    var serving: EngineRequest
    /// The GenRM judging path (response roles in the messages).
    var isJudging: Bool
}

extension ServedModel {
    /// Builds the prompt and decoding of a chat completion. With GenRM roles the messages are
    /// validated by the protocol and become the judging prompt, decoded under the skeleton unless
    /// the server runs with structured judging off; without them it is ordinary chat.
    func plan(_ request: ChatCompletionRequest) throws(OpenAIError) -> CompletionPlan {
        let maxField = request.maxTokensField
        try checkLogitBias(request.sampling)
        let prompt = try chatPrompt(request)
        if let judging = prompt.judging {
            if configuration.structuredJudging {
                return try structuredPlan(request, ids: prompt.ids, responses: judging.responseCount)
            }
            return try textPlan(request, ids: prompt.ids, isJudging: true, maxField: maxField)
        }
        return try textPlan(request, ids: prompt.ids, isJudging: false, maxField: maxField)
    }

    /// The ids a chat request prefills (`/tokenize` of `messages` gives exactly these): with
    /// GenRM roles the judging prompt the protocol builds from the validated messages, else the
    /// messages as the chat template renders them.
    func chatPrompt(_ request: ChatCompletionRequest) throws(OpenAIError) -> (ids: [Int], judging: JudgeRequest?) {
        guard request.isJudging else { return (model.encodePrompt(try render(request)), nil) }
        let judgeRequest: JudgeRequest
        do {
            judgeRequest = try JudgeRequest(messages: request.chatMessages)
        } catch {
            throw .badRequest("invalid GenRM judging request: \(error)", param: "messages")
        }
        let prompt = configuration.promptBuilder.prompt(for: judgeRequest)
        let text = try render(prompt.messages, addGenerationPrompt: true, kwargs: request.chatTemplateKwargs)
        return (model.encodePrompt(text), judgeRequest)
    }

    private func textPlan(_ request: ChatCompletionRequest, ids: [Int], isJudging: Bool, maxField: String) throws(OpenAIError) -> CompletionPlan {
        guard !ids.isEmpty else { throw .badRequest("the rendered prompt has no tokens", param: "messages") }
        let budget = try tokenBudget(promptTokens: ids.count, maxTokens: request.maxTokens, field: maxField)
        let decoding = try textDecoding(
            maxTokens: budget, stopStrings: request.stop, stopTokenIDs: request.stopTokenIDs,
            skipSpecialTokens: request.skipSpecialTokens, topLogprobs: request.logprobs ? (request.topLogprobs ?? 0) : nil)
        try checkAdmissible(choices: request.n, promptTokens: ids.count, generatedTokens: budget)
        return CompletionPlan(
            serving: EngineRequest(prompt: ids, choices: request.sampling.choices(request.n), decoding: .text(decoding)),
            isJudging: isJudging)
    }

    private func structuredPlan(_ request: ChatCompletionRequest, ids: [Int], responses: ResponseCount) throws(OpenAIError) -> CompletionPlan {
        for field in ["stop", "stop_token_ids"] {
            let given = field == "stop" ? !request.stop.isEmpty : !request.stopTokenIDs.isEmpty
            if given {
                throw .badRequest(
                    "`\(field)` is not available for structured GenRM judging; start the server with --no-structured-judging to generate freely",
                    param: field)
            }
        }
        let cap = try tokenBudget(promptTokens: ids.count, maxTokens: request.maxTokens, field: request.maxTokensField)
        let plan: JudgeDecodingPlan
        do {
            plan = try JudgeDecodingPlan(
                structured: true, responses: responses, reasoningTokens: configuration.reasoningTokens,
                analysisTokens: configuration.analysisTokens, maxTokens: cap, promptTokens: ids.count,
                contextLength: min(configuration.maxModelLength, engineContextLength), tokenizer: model.tokenizer)
        } catch {
            throw .badRequest("\(error)", param: "messages")
        }
        try checkAdmissible(choices: request.n, promptTokens: ids.count, generatedTokens: plan.neededTokens)
        return CompletionPlan(
            serving: EngineRequest(
                prompt: ids, choices: request.sampling.choices(request.n),
                decoding: .judge(segments: plan.segments, topLogprobs: request.logprobs ? (request.topLogprobs ?? 0) : nil)),
            isJudging: true)
    }

    /// Free-text decoding within `maxTokens`, ending at the model's end of turn, `stop_token_ids`
    /// (each checked against the vocabulary) and the stop strings.
    func textDecoding(
        maxTokens: Int, stopStrings: [String], stopTokenIDs: [Int], skipSpecialTokens: Bool, topLogprobs: Int?
    ) throws(OpenAIError) -> TextDecoding {
        let vocabulary = model.tokenizer.vocabularySize
        if let bad = stopTokenIDs.firstIndex(where: { $0 < 0 || $0 >= vocabulary }) {
            throw .badRequest(
                "`stop_token_ids[\(bad)]` = \(stopTokenIDs[bad]) is not a token id: the vocabulary has \(vocabulary) tokens",
                param: "stop_token_ids")
        }
        return TextDecoding(
            maxTokens: maxTokens, stopTokens: Set(model.tokenizer.eosIds).union(stopTokenIDs), stopStrings: stopStrings,
            skipSpecialTokens: skipSpecialTokens, topLogprobs: topLogprobs)
    }

    /// `logit_bias` keys checked against the vocabulary.
    func checkLogitBias(_ sampling: SamplingParameters) throws(OpenAIError) {
        let vocabulary = model.tokenizer.vocabularySize
        if let bad = sampling.logitBias.keys.sorted().first(where: { $0 >= vocabulary }) {
            throw .badRequest(
                "`logit_bias` names token \(bad), which is not a token id: the vocabulary has \(vocabulary) tokens", param: "logit_bias")
        }
    }

    /// `n` checked against the scheduler before `n` choices are built (a huge `n` is a 400
    /// naming it, not an allocation of its size).
    func checkAdmissible(choices n: Int, promptTokens: Int, generatedTokens: Int, promptField: String = "messages") throws(OpenAIError) {
        do {
            _ = try scheduler.checkAdmissible(choices: n, promptTokens: promptTokens, generatedTokens: generatedTokens)
        } catch {
            throw OpenAIError(error, promptField: promptField)
        }
    }
}
