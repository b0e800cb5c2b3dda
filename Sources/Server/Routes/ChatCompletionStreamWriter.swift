import Engine
import Foundation
import Hummingbird

/// Writes a streamed chat completion as server-sent events (docs/OPENAI-API.md): a role chunk per
/// choice, content (or reasoning) chunks as text settles, a finish chunk per choice, the usage
/// chunk when asked, then `[DONE]`. An error after the stream began goes in-band.
struct ChatCompletionStreamWriter: Sendable {
    let header: StreamHeader
    let choices: Int
    let includeUsage: Bool
    let splitsReasoning: Bool
    let metrics: ServerMetrics

    func write(_ events: AsyncThrowingStream<EngineEvent, any Error>, to output: inout any ResponseBodyWriter) async throws {
        for index in 0..<choices {
            try await send(chunk([.init(index: index, role: "assistant", content: "")]), to: &output)
        }
        var splitters = Array(repeating: ReasoningSplitter(), count: choices)
        var promptTokens = 0
        var completionTokens = 0
        do {
            for try await event in events {
                switch event {
                case .prefilled(let count, _):
                    promptTokens = count
                case .promptLogprobs:
                    break
                case .delta(let index, let text, let logprobs):
                    let items = logprobs.isEmpty ? nil : LogprobsContent(logprobs)
                    if splitsReasoning {
                        let (reasoning, content) = splitters[index].feed(text)
                        try await sendText(index: index, reasoning: reasoning, content: content, logprobs: items, to: &output)
                    } else {
                        try await send(chunk([.init(index: index, content: text, logprobs: items)]), to: &output)
                    }
                case .finished(let index, let result):
                    if splitsReasoning {
                        let (reasoning, content) = splitters[index].finish()
                        try await sendText(index: index, reasoning: reasoning, content: content, logprobs: nil, to: &output)
                    }
                    completionTokens += result.completionTokens
                    try await send(
                        chunk([.init(index: index, finishReason: result.finishReason.rawValue, stopReason: result.stopReason)]), to: &output)
                }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            try await output.write(ByteBuffer(bytes: ServerJSON.serverSentEvent(OpenAIError.from(error).body)))
            try await output.write(ByteBuffer(string: "data: [DONE]\n\n"))
            return
        }
        metrics.recordTokens(prompt: promptTokens, generated: completionTokens)
        if includeUsage {
            var last = chunk([])
            last.usage = Usage(promptTokens: promptTokens, completionTokens: completionTokens)
            try await send(last, to: &output)
        }
        try await output.write(ByteBuffer(string: "data: [DONE]\n\n"))
    }

    private func sendText(
        index: Int, reasoning: String, content: String, logprobs: LogprobsContent?, to output: inout any ResponseBodyWriter
    ) async throws {
        if !reasoning.isEmpty {
            try await send(chunk([.init(index: index, reasoningContent: reasoning, logprobs: logprobs)]), to: &output)
        }
        if !content.isEmpty {
            try await send(chunk([.init(index: index, content: content, logprobs: reasoning.isEmpty ? logprobs : nil)]), to: &output)
        }
    }

    private func chunk(_ choices: [ChatCompletionChunk.Choice]) -> ChatCompletionChunk {
        ChatCompletionChunk(id: header.id, created: header.created, model: header.model, choices: choices, usage: nil)
    }

    private func send(_ chunk: ChatCompletionChunk, to output: inout any ResponseBodyWriter) async throws {
        try await output.write(ByteBuffer(bytes: ServerJSON.serverSentEvent(try ServerJSON.data(chunk))))
    }
}
