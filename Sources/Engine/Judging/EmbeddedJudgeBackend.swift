import Foundation
import GenRM
import Tokenizers

/// The judge's backend on the embedded CPU engine, for every caller (CLI judge, eval, rewards,
/// the server): renders the judging messages with the model's chat format, plans the decoding
/// (`JudgeDecodingPlan`), and submits the votes as one request to the batch scheduler, where
/// they share one prefill, decode together, and batch with every other judgment in flight. The
/// scheduler's prefix cache serves the common opening of judging prompts (and the two orders of
/// a swapped pair).
public final class EmbeddedJudgeBackend: JudgeBackend, Sendable {
    public let model: EmbeddedModel
    public let scheduler: BatchScheduler
    public let modelName: String
    private let renderer: PromptRenderer

    /// - renderer: the chat format (default: the model's own).
    /// - name: the model name judgments report (default: the model's).
    public init(model: EmbeddedModel, scheduler: BatchScheduler, renderer: PromptRenderer? = nil, name: String? = nil) {
        self.model = model
        self.scheduler = scheduler
        self.renderer = renderer ?? model.promptRenderer
        modelName = name ?? model.name
    }

    /// The sequences the scheduler runs at once (`--max-num-seqs`).
    public var maxVotes: Int { scheduler.limits.maxRunningSequences }

    /// Positions a judgment may use: the scheduler's context.
    public var contextLength: Int { scheduler.limits.contextLength }

    public func complete(_ input: JudgeInput, settings: JudgeSettings, votes: Int) async throws -> [JudgeCompletion] {
        let ids = model.encodePrompt(try renderer.render(input.prompt.messages, addGenerationPrompt: true))
        let plan = try JudgeDecodingPlan(
            settings: settings, responses: input.responses, promptTokens: ids.count, contextLength: contextLength,
            tokenizer: model.tokenizer)
        _ = try scheduler.checkAdmissible(choices: votes, promptTokens: ids.count, generatedTokens: plan.neededTokens)
        let request = EngineRequest(prompt: ids, choices: settings.sampling.choices(votes), decoding: .judge(segments: plan.segments))
        var results: [Int: ChoiceResult] = [:]
        for try await event in try scheduler.submit(request) {
            if case .finished(let index, let result) = event { results[index] = result }
        }
        return try (0..<votes).map { index in
            guard let result = results[index] else { throw CancellationError() }
            return JudgeCompletion(
                text: result.text, readout: result.readout, promptTokens: ids.count, completionTokens: result.completionTokens,
                finishReason: result.finishReason.rawValue)
        }
    }
}
