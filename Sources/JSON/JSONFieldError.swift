/// A field of a JSON object that is missing or has the wrong type, named with its path.
public struct JSONFieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field's full name, element index included: `messages[2].role`, `votes[0]`.
    public let field: String
    /// The field without the element index: `messages`, `stream_options.include_usage`, `votes`
    /// (OpenAI's `param`).
    public let param: String
    /// What is wrong: "must be a string, found a number", "is missing".
    public let problem: String

    public init(field: String, param: String, problem: String) {
        self.field = field
        self.param = param
        self.problem = problem
    }

    public var description: String { "`\(field)` \(problem)" }
}
