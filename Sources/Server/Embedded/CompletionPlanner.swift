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
        let vocabulary = model.tokenizer.vocabularySize
        if let bad = request.sampling.logitBias.keys.sorted().first(where: { $0 >= vocabulary }) {
            throw .badRequest(
                "`logit_bias` names token \(bad), which is not a token id: the vocabulary has \(vocabulary) tokens", param: "logit_bias")
        }
        if request.isJudging {
            let judgeRequest: JudgeRequest
            do {
                judgeRequest = try JudgeRequest(messages: request.chatMessages)
            } catch {
                throw .badRequest("invalid GenRM judging request: \(error)", param: "messages")
            }
            let prompt = configuration.promptBuilder.prompt(for: judgeRequest)
            let text = try render(prompt.messages, addGenerationPrompt: true, kwargs: request.chatTemplateKwargs)
            let ids = model.encodePrompt(text)
            if configuration.structuredJudging {
                return try structuredPlan(request, ids: ids, responses: judgeRequest.responseCount)
            }
            return try textPlan(request, ids: ids, isJudging: true, maxField: maxField)
        }
        return try textPlan(request, ids: model.encodePrompt(try render(request)), isJudging: false, maxField: maxField)
    }

    private func textPlan(_ request: ChatCompletionRequest, ids: [Int], isJudging: Bool, maxField: String) throws(OpenAIError) -> CompletionPlan {
        guard !ids.isEmpty else { throw .badRequest("the rendered prompt has no tokens", param: "messages") }
        let budget = try tokenBudget(promptTokens: ids.count, maxTokens: request.maxTokens, field: maxField)
        let vocabulary = model.tokenizer.vocabularySize
        if let bad = request.stopTokenIDs.firstIndex(where: { $0 < 0 || $0 >= vocabulary }) {
            throw .badRequest(
                "`stop_token_ids[\(bad)]` = \(request.stopTokenIDs[bad]) is not a token id: the vocabulary has \(vocabulary) tokens",
                param: "stop_token_ids")
        }
        let decoding = TextDecoding(
            maxTokens: budget, stopTokens: Set(model.tokenizer.eosIds).union(request.stopTokenIDs), stopStrings: request.stop,
            skipSpecialTokens: request.skipSpecialTokens, topLogprobs: request.logprobs ? (request.topLogprobs ?? 0) : nil)
        try checkAdmissible(request, promptTokens: ids.count, generatedTokens: budget)
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
        try checkAdmissible(request, promptTokens: ids.count, generatedTokens: plan.neededTokens)
        return CompletionPlan(
            serving: EngineRequest(
                prompt: ids, choices: request.sampling.choices(request.n),
                decoding: .judge(segments: plan.segments, topLogprobs: request.logprobs ? (request.topLogprobs ?? 0) : nil)),
            isJudging: true)
    }

    /// `n` checked against the scheduler before `n` choices are built (a huge `n` is a 400
    /// naming it, not an allocation of its size).
    private func checkAdmissible(_ request: ChatCompletionRequest, promptTokens: Int, generatedTokens: Int) throws(OpenAIError) {
        do {
            _ = try scheduler.checkAdmissible(choices: request.n, promptTokens: promptTokens, generatedTokens: generatedTokens)
        } catch {
            throw OpenAIError(error)
        }
    }
}
