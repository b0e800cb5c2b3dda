import Engine
import Foundation
import Hummingbird
import Logging

/// `POST /v1/chat/completions`: validate, plan, submit to the scheduler, then answer at once
/// (JSON) or as server-sent events. A client that goes away cancels its generation.
struct ChatCompletionsRoute: Sendable {
    let served: ServedModel
    let metrics: ServerMetrics

    func respond(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var request = request
        let completion = try ChatCompletionRequest(body: try await request.bodyData(context))
        context.logIgnored(completion.unknownFields)
        try served.configuration.checkModel(completion.model)
        let plan = try served.plan(completion)
        let events: AsyncThrowingStream<EngineEvent, any Error>
        do {
            events = try served.scheduler.submit(plan.serving)
        } catch {
            throw OpenAIError(error)
        }
        let header = StreamHeader(id: ServerJSON.completionID(), created: Int(Date().timeIntervalSince1970), model: served.name)
        if completion.stream {
            let writer = ChatCompletionStreamWriter(
                header: header, choices: completion.n, includeUsage: completion.includeUsage,
                splitsReasoning: served.configuration.reasoningParser, metrics: metrics)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            let channel = context.channel
            return Response(status: .ok, headers: headers, body: ResponseBody { output in
                try await HangUpCancellation.run(on: channel) { try await writer.write(events, to: &output) }
                try await output.finish(nil)
            })
        }
        let response = try await HangUpCancellation.run(on: context.channel) {
            try await collect(events, header: header, choices: completion.n, logprobs: completion.logprobs)
        }
        return InfoRoutes.json(try ServerJSON.data(response))
    }

    /// Waits for every choice and builds the whole completion (`logprobs` null in each choice
    /// unless the request asked for them, as OpenAI answers).
    private func collect(
        _ events: AsyncThrowingStream<EngineEvent, any Error>, header: StreamHeader, choices n: Int, logprobs wanted: Bool
    ) async throws -> ChatCompletionResponse {
        var promptTokens = 0
        var results: [Int: ChoiceResult] = [:]
        var logprobs: [Int: [TokenLogprob]] = [:]
        do {
            for try await event in events {
                switch event {
                case .prefilled(let count, _): promptTokens = count
                case .delta(let choice, _, let items): if wanted { logprobs[choice, default: []] += items }
                case .finished(let choice, let result): results[choice] = result
                case .promptLogprobs: break
                }
            }
        } catch let error as SchedulerError {
            throw OpenAIError(error)
        }
        let splits = served.configuration.reasoningParser
        let choices = (0..<n).compactMap { index -> ChatCompletionResponse.Choice? in
            guard let result = results[index] else { return nil }
            let (reasoning, content): (String?, String?) = splits ? ReasoningSplitter.split(result.text) : (nil, result.text)
            return ChatCompletionResponse.Choice(
                index: index, content: content, reasoningContent: reasoning,
                logprobs: wanted ? LogprobsContent(logprobs[index] ?? []) : nil, finishReason: result.finishReason.rawValue,
                stopReason: result.stopReason)
        }
        guard choices.count == n else { throw CancellationError() }
        let usage = Usage(promptTokens: promptTokens, completionTokens: results.values.reduce(0) { $0 + $1.completionTokens })
        metrics.recordTokens(prompt: usage.promptTokens, generated: usage.completionTokens)
        return ChatCompletionResponse(id: header.id, created: header.created, model: header.model, choices: choices, usage: usage)
    }
}

/// What every chunk of one completion shares.
struct StreamHeader: Sendable {
    var id: String
    var created: Int
    var model: String
}
