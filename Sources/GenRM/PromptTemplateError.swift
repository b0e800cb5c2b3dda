/// Why a judging-prompt template could not be loaded or used.
public enum PromptTemplateError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The bundled `judge-prompt.txt` was not found next to the program (searched paths listed).
    case resourceMissing(searched: [String])
    /// A template file is not UTF-8 text.
    case notUTF8(path: String)
    /// A placeholder (`{context}` or `{responses}`) occurs `count` times instead of once.
    case placeholderCount(placeholder: String, count: Int)
    /// A variant could not be applied because the template lacks the text it changes.
    case variantNotApplicable(expected: String)

    public var description: String {
        switch self {
        case .resourceMissing(let searched):
            "the bundled judging prompt (judge-prompt.txt) is missing; looked in: \(searched.joined(separator: ", "))"
        case .notUTF8(let path):
            "judging prompt \(path) is not UTF-8 text"
        case .placeholderCount(let placeholder, let count):
            "judging prompt must contain \(placeholder) exactly once; found \(count)"
        case .variantNotApplicable(let expected):
            "judging prompt variant cannot be applied: the template does not contain \(expected.debugDescription) exactly once"
        }
    }
}
