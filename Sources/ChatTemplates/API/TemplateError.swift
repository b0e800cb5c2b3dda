/// Everything that can go wrong turning a template and its inputs into text.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The template source does not parse; line and column are 1-based and point at the
    /// offending token.
    case syntax(line: Int, column: Int, message: String)
    /// The template called `raise_exception(message)`: the input is something the model's
    /// template refuses (for example a system message for a model without a system role).
    /// Servers report this as a request error (HTTP 400).
    case raised(message: String)
    /// Evaluation failed (undefined attribute access, type mismatch, unsafe operation...).
    /// Line and column locate the expression in the template source.
    case runtime(line: Int, column: Int, message: String)
    /// A JSON input does not parse; `offset` is the UTF-8 byte offset of the problem.
    case json(offset: Int, message: String)
    /// No template could be chosen from a model's named templates.
    case selection(message: String)

    public var description: String {
        switch self {
        case .syntax(let line, let column, let message):
            return "template syntax error at line \(line), column \(column): \(message)"
        case .raised(let message):
            return message
        case .runtime(let line, let column, let message):
            return "template error at line \(line), column \(column): \(message)"
        case .json(let offset, let message):
            return "invalid JSON at byte \(offset): \(message)"
        case .selection(let message):
            return message
        }
    }
}
