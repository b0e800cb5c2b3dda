/// A parameter outside its range: which one, the value given and the rule it breaks.
public struct ParameterRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The parameter as requests spell it (`top_p`, `max_tokens`).
    public let field: String
    public let value: String
    /// What the value must be ("must be in (0, 1]").
    public let rule: String

    public init(_ field: String, _ value: some CustomStringConvertible, _ rule: String) {
        self.field = field
        self.value = value.description
        self.rule = rule
    }

    /// "`top_p` = 0.0 is out of range: must be in (0, 1]".
    public var description: String { described(as: "`\(field)`") }

    /// The message with the parameter named as its caller spells it (`--top-p` on the command line).
    public func described(as name: String) -> String { "\(name) = \(value) is out of range: \(rule)" }
}
