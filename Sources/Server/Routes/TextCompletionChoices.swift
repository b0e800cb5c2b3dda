import Engine
import Tokenizers

/// One prompt's engine events as completions choice pieces: the echoed prompt once it is
/// prefilled (with its log-probabilities and `prompt_logprobs` when asked), then each choice's
/// text as it settles, then its end. A whole answer merges the pieces by index; a stream sends
/// each as a chunk. Choice `i` of prompt `p` is index `p * n + i`, as in vLLM.
struct TextCompletionChoices {
    let request: TextCompletionRequest
    let prompt: PlannedPrompt
    let promptIndex: Int
    let tokenizer: Tokenizer
    private var builders: [LegacyLogprobsBuilder]
    private var promptLogprobs: [TokenLogprob] = []
    private(set) var promptTokens = 0
    private(set) var completionTokens = 0

    init(request: TextCompletionRequest, prompt: PlannedPrompt, promptIndex: Int, tokenizer: Tokenizer) {
        self.request = request
        self.prompt = prompt
        self.promptIndex = promptIndex
        self.tokenizer = tokenizer
        builders = Array(repeating: LegacyLogprobsBuilder(alternatives: request.logprobs ?? 0), count: request.n)
    }

    mutating func pieces(for event: EngineEvent) -> [TextCompletionResponse.Choice] {
        switch event {
        case .promptLogprobs(let items):
            promptLogprobs = items
            return []
        case .prefilled(let count, _):
            promptTokens = count
            guard request.echo || request.promptLogprobs != nil else { return [] }
            let promptPositions = request.promptLogprobs.map { PromptLogprobs(promptLogprobs, alternatives: $0) }
            let tokenizer = tokenizer
            var pieces: [TextCompletionResponse.Choice] = []
            for choice in 0..<request.n {
                var logprobs: LegacyLogprobs?
                if request.echo, request.logprobs != nil {
                    logprobs = builders[choice].prompt(prompt.serving.prompt, promptLogprobs) { tokenizer.tokenBytes($0) ?? [] }
                }
                pieces.append(piece(choice, text: request.echo ? prompt.echoText : "", logprobs: logprobs, promptLogprobs: promptPositions))
            }
            return pieces
        case .delta(let choice, let text, let items):
            return [piece(choice, text: text, logprobs: request.logprobs == nil ? nil : builders[choice].sampled(items))]
        case .finished(let choice, let result):
            completionTokens += result.completionTokens
            var end = piece(choice, text: "", logprobs: nil)
            end.finishReason = result.finishReason.rawValue
            end.stopReason = result.stopReason
            return [end]
        }
    }

    private func piece(_ choice: Int, text: String, logprobs: LegacyLogprobs?, promptLogprobs: PromptLogprobs? = nil) -> TextCompletionResponse.Choice {
        TextCompletionResponse.Choice(
            index: promptIndex * request.n + choice, text: text, logprobs: logprobs, finishReason: nil, stopReason: nil,
            promptLogprobs: promptLogprobs)
    }
}

extension TextCompletionResponse.Choice {
    /// `next` after this piece of the same choice.
    mutating func merge(_ next: Self) {
        text += next.text
        if let more = next.logprobs {
            if logprobs == nil { logprobs = LegacyLogprobs() }
            logprobs?.append(more)
        }
        finishReason = next.finishReason ?? finishReason
        stopReason = next.stopReason ?? stopReason
        promptLogprobs = next.promptLogprobs ?? promptLogprobs
    }
}
