import Engine
import Foundation
import GenRM

/// The model being served and everything requests need from it: the loaded network, tokenizer
/// and chat template, the scheduler that runs it, and the limits requests are
/// checked against.
final class ServedModel: Sendable {
    let model: EmbeddedModel
    let scheduler: BatchScheduler
    let configuration: ServerConfiguration
    /// Unix time the server started (OpenAI's `created` of the model).
    let created: Int
    /// The model's chat template, or the one `--chat-template` gave.
    let renderer: PromptRenderer
    /// `/v1/judge` and `/v1/rewards` on the same scheduler as chat.
    let judgeBackend: EmbeddedJudgeBackend

    init(model: EmbeddedModel, scheduler: BatchScheduler, configuration: ServerConfiguration) {
        self.model = model
        self.configuration = configuration
        self.scheduler = scheduler
        created = Int(Date().timeIntervalSince1970)
        renderer = configuration.chatTemplate.map { model.promptRenderer.replacingTemplate($0.template, source: $0.source) }
            ?? model.promptRenderer
        judgeBackend = EmbeddedJudgeBackend(model: model, scheduler: scheduler, renderer: renderer, name: configuration.servedModelName)
    }

    var name: String { configuration.servedModelName }

    /// Positions the scheduler lets one sequence hold; below `--max-model-len` only when the
    /// server was given a scheduler of a shorter context.
    var engineContextLength: Int { scheduler.limits.contextLength }

    /// Checks prompt length and `max_tokens` against the context, in vLLM's words, and returns
    /// the token budget (what the context leaves when `max_tokens` is not given).
    func tokenBudget(promptTokens n: Int, maxTokens m: Int?, field: String = "max_tokens", promptField: String = "messages") throws(OpenAIError) -> Int {
        let l = configuration.maxModelLength
        guard n < l else {
            throw .badRequest(
                "This model's maximum context length is \(l) tokens. However, your request has \(n) input tokens. Please reduce the length of the input \(promptField).",
                param: promptField)
        }
        if let m, m > l - n {
            throw .badRequest(
                "'max_tokens' or 'max_completion_tokens' is too large: \(m). This model's maximum context length is \(l) tokens and your request has \(n) input tokens (\(m) > \(l) - \(n)).",
                param: field)
        }
        guard n < engineContextLength else {
            throw .badRequest(
                "your request has \(n) input tokens, but the engine holds at most \(engineContextLength) positions per sequence",
                param: promptField)
        }
        return m ?? (l - n)
    }

}
