import Engine
import GenRM
import Hummingbird
import NIOHTTP1
import Remote

extension OpenAIError {
    /// The HTTP face of a scheduler refusal: capacity and shutdown are 503, the rest the client's.
    /// The engine's words become the server's: its flags are named where they set the limit.
    init(_ error: SchedulerError, choicesField: String = "n", promptField: String = "messages") {
        switch error {
        case .overloaded(let running, let maxRunning, let queued, let maxQueued):
            self = .overloaded(
                "the server is at capacity: \(running) of \(maxRunning) sequences running (--max-num-seqs) and \(queued) of \(maxQueued) requests queued (--max-queue); retry later")
        case .shuttingDown:
            self = .overloaded("the server is shutting down")
        case .tooManyChoices(let requested, let maxRunning):
            self = .badRequest(
                "\(choicesField) = \(requested) choices exceed the \(maxRunning) sequences the server runs at once (--max-num-seqs)",
                param: choicesField)
        case .exceedsMemory:
            self = .badRequest("\(error.description) (--kv-cache-memory); ask for fewer \(choicesField) or fewer tokens", param: choicesField)
        case .noChoices, .emptyPrompt, .promptTooLong:
            self = .badRequest(error.description, param: promptField)
        case .judgingUnavailable:
            self = .badRequest("\(error.description); start the server with --no-structured-judging", param: "messages")
        }
    }

    /// Any error thrown while serving, as the client should see it.
    static func from(_ error: any Error, promptField: String = "messages") -> OpenAIError {
        switch error {
        case let error as OpenAIError: error
        case let error as SchedulerError: OpenAIError(error, promptField: promptField)
        case let error as JudgeDecodingError: .badRequest(error.description, param: "messages")
        case let error as ParameterRangeError: .badRequest(error.description, param: error.field)
        case let error as JudgeError: .badRequest(error.description, param: error.field)
        case let error as RequestError: .badRequest(error.description, param: "messages")
        case let error as PoolFailure: Self.gateway(error)
        // A body whose framing breaks (chunk sizes, a missing CRLF, an unknown transfer coding)
        // fails while it is read: the client's request, never the engine's failure.
        case let error as HTTPParserError: .malformedRequest(error)
        default: .internalError("the engine failed: \(error)")
        }
    }
}

extension OpenAIError {
    /// A pool that gave up: the request's own error keeps the backend's status and words; a
    /// backend that failed is 502; no healthy backend at all is 503.
    static func gateway(_ failure: PoolFailure) -> OpenAIError {
        guard let last = failure.last else { return .overloaded(failure.description) }
        if failure.isRequestError, case .status(_, let code, let message) = last {
            return OpenAIError(status: HTTPResponse.Status(code: code), message: message)
        }
        return OpenAIError(status: .badGateway, message: failure.description)
    }
}
