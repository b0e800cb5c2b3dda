import Engine

/// One prompt of a `/v1/completions` request turned into work for the scheduler.
struct PlannedPrompt: Sendable {
    var serving: EngineRequest
    /// What `echo` puts in front of each choice's text: the prompt as sent, or its ids decoded.
    var echoText: String
}

extension ServedModel {
    /// Every prompt of a completions request, tokenized and checked (ids in the vocabulary, the
    /// prompt and `max_tokens` within the context, `n` within the scheduler) before any is run.
    func plan(_ request: TextCompletionRequest) throws(OpenAIError) -> [PlannedPrompt] {
        try checkLogitBias(request.sampling)
        let limit = scheduler.limits.maxRunningSequences + scheduler.limits.maxQueuedRequests
        guard request.prompts.count <= limit else {
            throw .badRequest(
                "`prompt` holds \(request.prompts.count) prompts; the server takes at most \(limit) at once (--max-num-seqs plus --max-queue)",
                param: "prompt")
        }
        return try request.prompts.enumerated().map { (index, prompt) throws(OpenAIError) in
            let (ids, echoText) = try tokens(of: prompt, index: index, request: request)
            let budget = try tokenBudget(promptTokens: ids.count, maxTokens: request.maxTokens, promptField: "prompt")
            let decoding = try textDecoding(
                maxTokens: budget, stopStrings: request.stop, stopTokenIDs: request.stopTokenIDs,
                skipSpecialTokens: request.skipSpecialTokens, topLogprobs: request.logprobs)
            try checkAdmissible(choices: request.n, promptTokens: ids.count, generatedTokens: budget, promptField: "prompt")
            let serving = EngineRequest(
                prompt: ids, choices: request.sampling.choices(request.n), decoding: .text(decoding),
                promptLogprobs: request.promptAlternatives)
            return PlannedPrompt(serving: serving, echoText: echoText)
        }
    }

    /// A prompt's ids (text as `genrm generate --prompt` reads it: special tokens parsed, BOS as
    /// the model asks unless `add_special_tokens` is false) and the text `echo` repeats.
    private func tokens(of prompt: CompletionPrompt, index: Int, request: TextCompletionRequest) throws(OpenAIError) -> ([Int], String) {
        let field = request.prompts.count == 1 ? "prompt" : "prompt[\(index)]"
        switch prompt {
        case .text(let text):
            let ids = request.addSpecialTokens
                ? model.encodeRawPrompt(text, parseSpecial: true) : model.tokenizer.encode(text, parseSpecial: true)
            guard !ids.isEmpty else { throw .badRequest("`\(field)` has no tokens: give some text", param: "prompt") }
            return (ids, text)
        case .tokens(let ids):
            return (ids, try decode(ids, field: field))
        }
    }

    /// The text of token ids, each checked against the vocabulary (the error names the field and
    /// the position).
    func decode(_ ids: [Int], field: String, skipSpecialTokens: Bool = false) throws(OpenAIError) -> String {
        let vocabulary = model.tokenizer.vocabularySize
        if let bad = ids.firstIndex(where: { $0 < 0 || $0 >= vocabulary }) {
            throw .badRequest(
                "`\(field)[\(bad)]` = \(ids[bad]) is not a token id: the vocabulary has \(vocabulary) tokens", param: field.prefix { $0 != "[" }.description)
        }
        do {
            return try model.tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
        } catch {
            throw .badRequest("\(error)", param: field.prefix { $0 != "[" }.description)
        }
    }
}
