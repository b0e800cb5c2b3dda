/// Why the embedded judge could not decode a judgment.
public enum JudgeDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The vocabulary has no single token for an ASCII digit, so scores cannot be constrained.
    case noDigitToken(Int)
    /// Prompt plus the skeleton's budgets do not fit the context.
    case contextOverflow(promptTokens: Int, needed: Int, contextLength: Int)

    public var description: String {
        switch self {
        case .noDigitToken(let digit):
            "the vocabulary has no single token for the digit \(digit); structured judging needs one (use free generation)"
        case .contextOverflow(let promptTokens, let needed, let contextLength):
            "the judging prompt has \(promptTokens) tokens and its output needs up to \(needed) more, but the context holds \(contextLength) tokens"
        }
    }
}
