import Engine
import Foundation
import Hummingbird
import Logging

/// `POST /v1/completions` (OpenAI's legacy completions with vLLM's fields): validate, plan every
/// prompt, submit each to the scheduler (they batch with everything else running), then answer
/// at once (JSON) or as server-sent events. A client that goes away cancels its generations.
struct CompletionsRoute: Sendable {
    let served: ServedModel
    let metrics: ServerMetrics

    func respond(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var request = request
        let completion = try TextCompletionRequest(body: try await request.bodyData(context))
        context.logIgnored(completion.unknownFields)
        try served.configuration.checkModel(completion.model)
        let prompts = try served.plan(completion)
        // Every prompt is queued before any is read; one refused drops (cancels) those before it.
        var streams: [AsyncThrowingStream<EngineEvent, any Error>] = []
        for prompt in prompts {
            do {
                streams.append(try served.scheduler.submit(prompt.serving))
            } catch {
                throw OpenAIError(error, promptField: "prompt")
            }
        }
        let runs = zip(prompts.indices, streams).map { index, events in
            PromptRun(
                choices: TextCompletionChoices(request: completion, prompt: prompts[index], promptIndex: index, tokenizer: served.model.tokenizer),
                events: events)
        }
        let header = StreamHeader(id: ServerJSON.completionID(prefix: "cmpl-"), created: Int(Date().timeIntervalSince1970), model: served.name)
        if completion.stream {
            let writer = TextCompletionStreamWriter(header: header, includeUsage: completion.includeUsage, metrics: metrics)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            let channel = context.channel
            return Response(status: .ok, headers: headers, body: ResponseBody { output in
                try await HangUpCancellation.run(on: channel) { try await writer.write(runs, to: &output) }
                try await output.finish(nil)
            })
        }
        let response = try await HangUpCancellation.run(on: context.channel) {
            try await collect(runs, header: header, choices: prompts.count * completion.n, logprobs: completion.logprobs != nil)
        }
        return InfoRoutes.json(try ServerJSON.data(response))
    }

    /// Waits for every choice of every prompt and builds the whole completion (with `logprobs`,
    /// every choice carries them, even one that holds no token).
    private func collect(_ runs: [PromptRun], header: StreamHeader, choices count: Int, logprobs: Bool) async throws -> TextCompletionResponse {
        var choices: [Int: TextCompletionResponse.Choice] = [:]
        var usage = Usage(promptTokens: 0, completionTokens: 0)
        do {
            for var run in runs {
                for try await event in run.events {
                    for piece in run.choices.pieces(for: event) {
                        if choices[piece.index] == nil { choices[piece.index] = piece } else { choices[piece.index]?.merge(piece) }
                    }
                }
                usage.promptTokens += run.choices.promptTokens
                usage.completionTokens += run.choices.completionTokens
            }
        } catch let error as SchedulerError {
            throw OpenAIError(error, promptField: "prompt")
        }
        let whole = (0..<count).compactMap { index -> TextCompletionResponse.Choice? in
            guard var choice = choices[index], choice.finishReason != nil else { return nil }
            if logprobs, choice.logprobs == nil { choice.logprobs = LegacyLogprobs() }
            return choice
        }
        guard whole.count == count else { throw CancellationError() }
        metrics.recordTokens(prompt: usage.promptTokens, generated: usage.completionTokens)
        return TextCompletionResponse(header: header, choices: whole, usage: usage)
    }
}

/// One prompt's events and what turns them into choices.
struct PromptRun: Sendable {
    var choices: TextCompletionChoices
    let events: AsyncThrowingStream<EngineEvent, any Error>
}
