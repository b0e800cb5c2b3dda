import Foundation
import JSON

/// A request body's fields, every error an OpenAI-style 400 naming the field.
typealias RequestFields = JSONFields<OpenAIError>

extension JSONFields where Failure == OpenAIError {
    /// Parses a request body; a body that is not a JSON object is a 400 naming the byte offset.
    static func parse(_ body: Data) throws(OpenAIError) -> RequestFields {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: body)
        } catch {
            throw .badRequest("the request body is not valid JSON: \(error)")
        }
        guard case .object(let object) = root else {
            throw .badRequest("the request body must be a JSON object, found \(root.kind)")
        }
        return RequestFields(object, failure: OpenAIError.init(field:))
    }
}

extension OpenAIError {
    /// The 400 for a field of the wrong type or range.
    init(field error: JSONFieldError) {
        self = .badRequest(error.description, param: error.param)
    }
}
