import Engine
import GenRM

extension OpenAIError {
    /// The HTTP face of a scheduler refusal: capacity and shutdown are 503, the rest the client's.
    init(_ error: ServingError, choicesField: String = "n") {
        switch error {
        case .overloaded, .shuttingDown:
            self = .overloaded(error.description)
        case .tooManyChoices:
            self = .badRequest(error.description, param: choicesField)
        case .noChoices, .emptyPrompt, .promptTooLong:
            self = .badRequest(error.description, param: "messages")
        }
    }

    /// Any error thrown while serving, as the client should see it.
    static func from(_ error: any Error) -> OpenAIError {
        switch error {
        case let error as OpenAIError: error
        case let error as ServingError: OpenAIError(error)
        case let error as JudgeSettingsError: .badRequest(error.description, param: error.field)
        case let error as JudgeError: .badRequest(error.description)
        case let error as RequestError: .badRequest(error.description, param: "messages")
        default: .internalError("the engine failed: \(error)")
        }
    }
}
