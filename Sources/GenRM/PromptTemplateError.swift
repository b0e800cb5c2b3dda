/// Why a judging-prompt template could not be loaded or used.
public enum PromptTemplateError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// A placeholder (`{context}` or `{responses}`) occurs `count` times instead of once.
    case placeholderCount(placeholder: String, count: Int)
    /// A variant could not be applied because the template lacks the text it changes.
    case variantNotApplicable(expected: String)

    public var description: String {
        switch self {
        case .placeholderCount(let placeholder, let count):
            "judging prompt must contain \(placeholder) exactly once; found \(count)"
        case .variantNotApplicable(let expected):
            "judging prompt variant cannot be applied: the template does not contain \(expected.debugDescription) exactly once"
        }
    }
}
