import Engine
import GenRM

/// The judge's backend inside the server: judging prompts go through the same scheduler as chat
/// completions, so `/v1/judge` votes batch with everything else that is running.
struct ScheduledJudgeBackend: JudgeBackend {
    let served: ServedModel

    var modelName: String { served.name }

    func complete(_ input: JudgeInput, settings: JudgeSettings, votes: Int) async throws -> [JudgeCompletion] {
        let responses = input.responses
        let ids = served.model.encodePrompt(try served.render(input.prompt.messages))
        let room = min(served.configuration.maxModelLength, served.engineContextLength) - ids.count
        let segments: [SkeletonSegment]
        if settings.structured {
            segments = JudgeSkeleton.segments(
                responses: responses, reasoningTokens: min(settings.reasoningTokens, settings.maxTokens ?? .max),
                analysisTokens: min(settings.analysisTokens, settings.maxTokens ?? .max))
        } else {
            segments = [.free(budget: min(settings.maxTokens ?? room, max(room, 0)), stops: [])]
        }
        let needed = served.skeletonTokens(segments)
        guard room >= 1, needed <= room else {
            throw OpenAIError.badRequest(
                "the judging prompt has \(ids.count) tokens and the judgment needs up to \(needed) more, but only \(max(room, 0)) fit the context",
                param: "messages")
        }
        let sampling = (0..<votes).map { vote in
            SamplingParameters(
                temperature: Float(settings.temperature), topK: settings.topK, topP: Float(settings.topP), minP: Float(settings.minP),
                seed: settings.seed &+ UInt64(vote))
        }
        let events: AsyncThrowingStream<ServingEvent, any Error>
        do {
            events = try served.scheduler.submit(ServingRequest(prompt: ids, choices: sampling, decoding: .judge(segments: segments)))
        } catch {
            throw OpenAIError(error, choicesField: "votes")
        }
        var results: [Int: ChoiceResult] = [:]
        for try await event in events {
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
