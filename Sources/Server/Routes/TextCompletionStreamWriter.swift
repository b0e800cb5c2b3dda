import Engine
import Foundation
import Hummingbird

/// Writes a streamed text completion as server-sent events, prompt after prompt: the echoed
/// prompt when asked, text chunks as they settle, a chunk with `finish_reason` per choice, the
/// usage chunk when asked, then `[DONE]`. An error after the stream began goes in-band.
struct TextCompletionStreamWriter: Sendable {
    let header: StreamHeader
    let includeUsage: Bool
    let metrics: ServerMetrics

    func write(_ runs: [PromptRun], to output: inout any ResponseBodyWriter) async throws {
        var usage = Usage(promptTokens: 0, completionTokens: 0)
        do {
            for var run in runs {
                for try await event in run.events {
                    for piece in run.choices.pieces(for: event) {
                        try await send(TextCompletionResponse(header: header, choices: [piece]), to: &output)
                    }
                }
                usage.promptTokens += run.choices.promptTokens
                usage.completionTokens += run.choices.completionTokens
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            try await output.write(ByteBuffer(bytes: ServerJSON.serverSentEvent(OpenAIError.from(error, promptField: "prompt").body)))
            try await output.write(ByteBuffer(string: "data: [DONE]\n\n"))
            return
        }
        metrics.recordTokens(prompt: usage.promptTokens, generated: usage.completionTokens)
        if includeUsage { try await send(TextCompletionResponse(header: header, choices: [], usage: usage), to: &output) }
        try await output.write(ByteBuffer(string: "data: [DONE]\n\n"))
    }

    private func send(_ chunk: TextCompletionResponse, to output: inout any ResponseBodyWriter) async throws {
        try await output.write(ByteBuffer(bytes: ServerJSON.serverSentEvent(try ServerJSON.data(chunk))))
    }
}
