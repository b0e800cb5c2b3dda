/// A position in the template source, 1-based, counted in code points after newline
/// normalisation (CRLF and CR become LF, as Jinja does before lexing).
struct SourceLocation: Sendable, Equatable {
    var line: Int
    var column: Int
}

struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        /// Template text outside tags, whitespace control already applied.
        case data
        case variableBegin, variableEnd
        case blockBegin, blockEnd
        case name, string, integer, float
        /// Punctuation and operators; `text` holds the symbol.
        case op
        case eof
    }

    let kind: Kind
    /// Data text, a name, the decoded string literal, the number's digits, or the operator symbol.
    let text: String
    let location: SourceLocation
    var integerValue: Int = 0
    var floatValue: Double = 0

    func isOperator(_ symbol: String) -> Bool { kind == .op && text == symbol }
    func isName(_ name: String) -> Bool { kind == .name && text == name }
}
