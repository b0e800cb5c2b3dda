import Engine
import Foundation
import Hummingbird

/// Writes a streamed text completion as server-sent events, the prompts' chunks interleaved as
/// they arrive (as vLLM streams a list of prompts; each chunk names its choice by `index`), each
/// prompt's in order: its echoed prompt when asked, its text chunks as they settle, a chunk with
/// `finish_reason` per choice; then the usage chunk when asked, then `[DONE]`. An error after the
/// stream began goes in-band, and the other prompts' generations are cancelled.
struct TextCompletionStreamWriter: Sendable {
    let header: StreamHeader
    let includeUsage: Bool
    let metrics: ServerMetrics

    /// What one prompt's reader passes to the writer.
    private enum Arrival: Sendable {
        case event(run: Int, EngineEvent)
        case ended
        case failed(any Error)
    }

    func write(_ runs: [PromptRun], to output: inout any ResponseBodyWriter) async throws {
        var runs = runs
        var usage = Usage(promptTokens: 0, completionTokens: 0)
        let (arrivals, sink) = AsyncStream<Arrival>.makeStream()
        do {
            try await withThrowingTaskGroup(of: Void.self) { readers in
                for (index, run) in runs.enumerated() {
                    let events = run.events
                    readers.addTask {
                        do {
                            for try await event in events { sink.yield(.event(run: index, event)) }
                            sink.yield(.ended)
                        } catch {
                            sink.yield(.failed(error))
                        }
                    }
                }
                defer { readers.cancelAll() }
                var open = runs.count
                for await arrival in arrivals {
                    switch arrival {
                    case .event(let index, let event):
                        for piece in runs[index].choices.pieces(for: event) {
                            try await send(TextCompletionResponse(header: header, choices: [piece]), to: &output)
                        }
                    case .ended:
                        open -= 1
                    case .failed(let error):
                        throw error
                    }
                    if open == 0 { break }
                }
                try Task.checkCancellation()
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            try await output.write(ByteBuffer(bytes: ServerJSON.serverSentEvent(OpenAIError.from(error, promptField: "prompt").body)))
            try await output.write(ByteBuffer(string: "data: [DONE]\n\n"))
            return
        }
        for run in runs {
            usage.promptTokens += run.choices.promptTokens
            usage.completionTokens += run.choices.completionTokens
        }
        metrics.recordTokens(prompt: usage.promptTokens, generated: usage.completionTokens)
        if includeUsage { try await send(TextCompletionResponse(header: header, choices: [], usage: usage), to: &output) }
        try await output.write(ByteBuffer(string: "data: [DONE]\n\n"))
    }

    private func send(_ chunk: TextCompletionResponse, to output: inout any ResponseBodyWriter) async throws {
        try await output.write(ByteBuffer(bytes: ServerJSON.serverSentEvent(try ServerJSON.data(chunk))))
    }
}
