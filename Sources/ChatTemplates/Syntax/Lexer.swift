/// Splits template source into tokens the way Jinja's lexer does under transformers' settings:
/// `trim_blocks` (drop the first newline after a block or comment tag), `lstrip_blocks` (drop
/// spaces and tabs before a block or comment tag that starts a line), `-`/`+` whitespace control,
/// `{% raw %}`, and `keep_trailing_newline=False` (one final newline of the source is dropped).
struct Lexer {
    private let source: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private var column = 1
    private var tokens: [Token] = []
    /// Whether the previous tag ended with a newline; a tag at the very start of a line may have
    /// its indentation stripped by lstrip_blocks even when the data before it has no newline.
    private var lineStarting = true

    init(source: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(source.unicodeScalars.count)
        var iterator = source.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if scalar == "\r" {
                scalars.append("\n")
                if pending == "\n" { pending = iterator.next() }
            } else {
                scalars.append(scalar)
            }
        }
        if scalars.last == "\n" { scalars.removeLast() }
        self.source = scalars
    }

    static func tokenize(_ source: String) throws -> [Token] {
        var lexer = Lexer(source: source)
        try lexer.run()
        return lexer.tokens
    }

    // MARK: cursor

    private var location: SourceLocation { SourceLocation(line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < source.count ? source[index] : nil
    }

    private func matches(_ text: String, at index: Int) -> Bool {
        var cursor = index
        for scalar in text.unicodeScalars {
            guard cursor < source.count, source[cursor] == scalar else { return false }
            cursor += 1
        }
        return true
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where position < source.count {
            if source[position] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            position += 1
        }
    }

    private func syntaxError(_ message: String, at location: SourceLocation? = nil) -> TemplateError {
        let at = location ?? self.location
        return .syntax(line: at.line, column: at.column, message: message)
    }

    // MARK: root state

    private enum TagKind { case variable, block, comment }

    private mutating func run() throws {
        while position < source.count {
            guard let (tagStart, kind) = nextTagStart(from: position) else {
                emitData(from: position, to: source.count, location: location)
                advance(source.count - position)
                break
            }
            let sign = tagStart + 2 < source.count ? source[tagStart + 2] : nil
            let dataLocation = location
            var dataEnd = tagStart
            let rawBegin = kind == .block ? rawBlockEnd(openerAt: tagStart) : nil
            if sign == "-" {
                while dataEnd > position, PyString.isSpace(source[dataEnd - 1]) { dataEnd -= 1 }
            } else if sign != "+" && kind != .variable {
                dataEnd = lstripEnd(dataStart: position, tagStart: tagStart)
            }
            emitData(from: position, to: dataEnd, location: dataLocation)
            advance(tagStart - position)
            if let rawBegin {
                try lexRaw(openerEnd: rawBegin)
                continue
            }
            switch kind {
            case .comment: try lexComment()
            case .variable: try lexTag(variable: true)
            case .block: try lexTag(variable: false)
            }
        }
        tokens.append(Token(kind: .eof, text: "", location: location))
    }

    /// The earliest `{{`, `{%` or `{#` at or after `start`.
    private func nextTagStart(from start: Int) -> (Int, TagKind)? {
        var index = start
        while index + 1 < source.count {
            if source[index] == "{" {
                switch source[index + 1] {
                case "{": return (index, .variable)
                case "%": return (index, .block)
                case "#": return (index, .comment)
                default: break
                }
            }
            index += 1
        }
        return nil
    }

    /// lstrip_blocks: when only whitespace separates the tag from the start of its line, that
    /// whitespace is dropped.
    private func lstripEnd(dataStart: Int, tagStart: Int) -> Int {
        var lineStart = tagStart
        while lineStart > dataStart, source[lineStart - 1] != "\n" { lineStart -= 1 }
        let hasNewline = lineStart > dataStart
        guard hasNewline || lineStarting, lineStart < tagStart else { return tagStart }
        for index in lineStart..<tagStart where !PyString.isSpace(source[index]) { return tagStart }
        return lineStart
    }

    private mutating func emitData(from start: Int, to end: Int, location: SourceLocation) {
        guard start < end else { return }
        tokens.append(Token(kind: .data, text: PyString.make(source[start..<end]), location: location))
    }

    // MARK: comments and raw blocks

    private mutating func lexComment() throws {
        let opener = location
        advance(2)
        if peek() == "-" || peek() == "+" { advance() }
        while position < source.count {
            if matches("+#}", at: position) {
                advance(3)
                lineStarting = false
                return
            }
            if matches("-#}", at: position) {
                advance(3)
                finishTagSkippingWhitespace()
                return
            }
            if matches("#}", at: position) {
                advance(2)
                finishTagTrimmingNewline()
                return
            }
            advance()
        }
        throw syntaxError("Missing end of comment tag", at: opener)
    }

    /// `-%}` and friends: every following whitespace character is dropped.
    private mutating func finishTagSkippingWhitespace() {
        var last: Unicode.Scalar?
        while let scalar = peek(), PyString.isSpace(scalar) {
            last = scalar
            advance()
        }
        lineStarting = last == "\n"
    }

    /// trim_blocks: one newline right after the tag is dropped.
    private mutating func finishTagTrimmingNewline() {
        if peek() == "\n" {
            advance()
            lineStarting = true
        } else {
            lineStarting = false
        }
    }

    /// If `{%` at `index` opens `{% raw %}`, the index just past its closing `%}`.
    private func rawBlockEnd(openerAt index: Int) -> Int? {
        var cursor = index + 2
        if cursor < source.count, source[cursor] == "-" || source[cursor] == "+" { cursor += 1 }
        while cursor < source.count, PyString.isSpace(source[cursor]) { cursor += 1 }
        guard matches("raw", at: cursor) else { return nil }
        cursor += 3
        while cursor < source.count, PyString.isSpace(source[cursor]) { cursor += 1 }
        if matches("-%}", at: cursor) { return cursor + 3 }
        if matches("%}", at: cursor) { return cursor + 2 }
        return nil
    }

    private mutating func lexRaw(openerEnd: Int) throws {
        let opener = location
        let stripAfterOpener = source[openerEnd - 3] == "-"
        advance(openerEnd - position)
        if stripAfterOpener {
            finishTagSkippingWhitespace()
        } else {
            // The raw opener has no trim_blocks suffix in Jinja's lexer.
            lineStarting = false
        }
        var index = position
        while index + 1 < source.count {
            if source[index] == "{" && source[index + 1] == "%", let closer = endRawMatch(at: index) {
                let sign = index + 2 < source.count ? source[index + 2] : nil
                var dataEnd = index
                if sign == "-" {
                    while dataEnd > position, PyString.isSpace(source[dataEnd - 1]) { dataEnd -= 1 }
                } else if sign != "+" {
                    dataEnd = lstripEnd(dataStart: position, tagStart: index)
                }
                emitData(from: position, to: dataEnd, location: location)
                advance(closer.end - position)
                switch closer.style {
                case .plus: lineStarting = false
                case .minus: finishTagSkippingWhitespace()
                case .plain: finishTagTrimmingNewline()
                }
                return
            }
            index += 1
        }
        throw syntaxError("Missing end of raw directive", at: opener)
    }

    private enum CloserStyle { case plus, minus, plain }

    private func endRawMatch(at index: Int) -> (end: Int, style: CloserStyle)? {
        var cursor = index + 2
        if cursor < source.count, source[cursor] == "-" || source[cursor] == "+" { cursor += 1 }
        while cursor < source.count, PyString.isSpace(source[cursor]) { cursor += 1 }
        guard matches("endraw", at: cursor) else { return nil }
        cursor += 6
        while cursor < source.count, PyString.isSpace(source[cursor]) { cursor += 1 }
        if matches("+%}", at: cursor) { return (cursor + 3, .plus) }
        if matches("-%}", at: cursor) { return (cursor + 3, .minus) }
        if matches("%}", at: cursor) { return (cursor + 2, .plain) }
        return nil
    }

    // MARK: tags

    private mutating func lexTag(variable: Bool) throws {
        tokens.append(Token(kind: variable ? .variableBegin : .blockBegin, text: "", location: location))
        advance(2)
        if peek() == "-" || peek() == "+" { advance() }
        var brackets: [(closer: Unicode.Scalar, location: SourceLocation)] = []
        while true {
            guard let scalar = peek() else {
                throw syntaxError("unexpected end of template, expected '\(variable ? "}}" : "%}")'")
            }
            if brackets.isEmpty, try lexTagEnd(variable: variable) { return }
            if PyString.isSpace(scalar) {
                advance()
                continue
            }
            let start = location
            if let number = try lexNumber() {
                tokens.append(number)
            } else if isIdentifierStart(scalar) {
                var end = position + 1
                while end < source.count, isIdentifierContinue(source[end]) { end += 1 }
                tokens.append(Token(kind: .name, text: PyString.make(source[position..<end]), location: start))
                advance(end - position)
            } else if scalar == "'" || scalar == "\"" {
                tokens.append(try lexString(quote: scalar))
            } else if let symbol = operatorAt(position) {
                switch symbol {
                case "(": brackets.append((")", start))
                case "[": brackets.append(("]", start))
                case "{": brackets.append(("}", start))
                case ")", "]", "}":
                    guard let open = brackets.popLast() else {
                        throw syntaxError("unexpected '\(symbol)'", at: start)
                    }
                    guard String(open.closer) == symbol else {
                        throw syntaxError("unexpected '\(symbol)', expected '\(open.closer)'", at: start)
                    }
                default: break
                }
                tokens.append(Token(kind: .op, text: symbol, location: start))
                advance(symbol.unicodeScalars.count)
            } else {
                throw syntaxError("unexpected char \(Python.reprString(String(scalar)))", at: start)
            }
        }
    }

    /// Consumes the end of a tag if one starts here.
    private mutating func lexTagEnd(variable: Bool) throws -> Bool {
        let at = location
        if variable {
            if matches("-}}", at: position) {
                advance(3)
                tokens.append(Token(kind: .variableEnd, text: "", location: at))
                finishTagSkippingWhitespace()
                return true
            }
            if matches("}}", at: position) {
                advance(2)
                tokens.append(Token(kind: .variableEnd, text: "", location: at))
                lineStarting = false
                return true
            }
            return false
        }
        if matches("+%}", at: position) {
            advance(3)
            tokens.append(Token(kind: .blockEnd, text: "", location: at))
            lineStarting = false
            return true
        }
        if matches("-%}", at: position) {
            advance(3)
            tokens.append(Token(kind: .blockEnd, text: "", location: at))
            finishTagSkippingWhitespace()
            return true
        }
        if matches("%}", at: position) {
            advance(2)
            tokens.append(Token(kind: .blockEnd, text: "", location: at))
            finishTagTrimmingNewline()
            return true
        }
        return false
    }

    private static let operators: [String] = [
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";",
    ]

    private func operatorAt(_ index: Int) -> String? {
        Self.operators.first { matches($0, at: index) }
    }

    private func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isXIDStart
    }

    private func isIdentifierContinue(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isXIDContinue
    }

    // MARK: literals

    private func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("0"..."9").contains(scalar)
    }

    /// Digits with single underscores between them, as Python allows; returns the end index.
    private func digitRun(from start: Int, isValid: (Unicode.Scalar) -> Bool) -> Int? {
        var index = start
        guard index < source.count, isValid(source[index]) else { return nil }
        index += 1
        while index < source.count {
            if isValid(source[index]) {
                index += 1
            } else if source[index] == "_", index + 1 < source.count, isValid(source[index + 1]) {
                index += 2
            } else {
                break
            }
        }
        return index
    }

    private mutating func lexNumber() throws -> Token? {
        guard isDigit(peek()) else { return nil }
        // Jinja's float rule refuses a number glued to a preceding dot (`x.0.1` is attribute access).
        let afterDot = position > 0 && source[position - 1] == "."
        let start = location
        let decimal: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        if !afterDot, let integerEnd = digitRun(from: position, isValid: decimal) {
            var end = integerEnd
            var isFloat = false
            if end < source.count, source[end] == ".", let fractionEnd = digitRun(from: end + 1, isValid: decimal) {
                end = fractionEnd
                isFloat = true
            }
            if end < source.count, source[end] == "e" || source[end] == "E" {
                var exponentStart = end + 1
                if exponentStart < source.count, source[exponentStart] == "+" || source[exponentStart] == "-" {
                    exponentStart += 1
                }
                if let exponentEnd = digitRun(from: exponentStart, isValid: decimal) {
                    end = exponentEnd
                    isFloat = true
                }
            }
            if isFloat {
                let text = PyString.make(source[position..<end]).replacingUnderscores()
                advance(end - position)
                return Token(kind: .float, text: text, location: start, floatValue: Double(text) ?? .infinity)
            }
        }
        return try lexInteger(start: start)
    }

    private mutating func lexInteger(start: SourceLocation) throws -> Token? {
        let prefixes: [(String, Int, (Unicode.Scalar) -> Bool)] = [
            ("0b", 2, { $0 == "0" || $0 == "1" }),
            ("0o", 8, { ("0"..."7").contains($0) }),
            ("0x", 16, { $0.properties.isASCIIHexDigit }),
        ]
        for (prefix, radix, isValid) in prefixes {
            let lower = PyString.make(source[position..<min(position + 2, source.count)]).lowercased()
            guard lower == prefix else { continue }
            var index = position + 2
            if index < source.count, source[index] == "_" { index += 1 }
            guard let end = digitRun(from: index, isValid: isValid) else { continue }
            let digits = PyString.make(source[(position + 2)..<end]).replacingUnderscores()
            let text = PyString.make(source[position..<end])
            guard let value = Int(digits, radix: radix) else {
                throw syntaxError("integer literal \(text) does not fit in 64 bits", at: start)
            }
            advance(end - position)
            return Token(kind: .integer, text: text, location: start, integerValue: value)
        }
        // Decimal: a leading zero may only be followed by more zeros.
        let end: Int
        if source[position] == "0" {
            end = digitRun(from: position, isValid: { $0 == "0" }) ?? position + 1
        } else {
            end = digitRun(from: position, isValid: { ("0"..."9").contains($0) }) ?? position + 1
        }
        let text = PyString.make(source[position..<end]).replacingUnderscores()
        guard let value = Int(text) else {
            throw syntaxError("integer literal \(text) does not fit in 64 bits", at: start)
        }
        advance(end - position)
        return Token(kind: .integer, text: text, location: start, integerValue: value)
    }

    /// A quoted literal, unescaped like Python's `unicode-escape` codec (unknown escapes stay).
    private mutating func lexString(quote: Unicode.Scalar) throws -> Token {
        let start = location
        var index = position + 1
        var decoded = String.UnicodeScalarView()
        while true {
            guard index < source.count else {
                throw syntaxError("unexpected char \(Python.reprString(String(quote)))", at: start)
            }
            let scalar = source[index]
            if scalar == quote { break }
            if scalar != "\\" {
                decoded.append(scalar)
                index += 1
                continue
            }
            guard index + 1 < source.count else {
                throw syntaxError("unexpected char \(Python.reprString(String(quote)))", at: start)
            }
            let escape = source[index + 1]
            index += 2
            switch escape {
            case "\n": break
            case "\\": decoded.append("\\")
            case "'": decoded.append("'")
            case "\"": decoded.append("\"")
            case "a": decoded.append("\u{07}")
            case "b": decoded.append("\u{08}")
            case "f": decoded.append("\u{0C}")
            case "n": decoded.append("\n")
            case "r": decoded.append("\r")
            case "t": decoded.append("\t")
            case "v": decoded.append("\u{0B}")
            case "0"..."7":
                var value = escape.value - 0x30
                var digits = 1
                while digits < 3, index < source.count, ("0"..."7").contains(source[index]) {
                    value = value * 8 + (source[index].value - 0x30)
                    index += 1
                    digits += 1
                }
                guard let decodedScalar = Unicode.Scalar(value) else {
                    throw syntaxError("invalid octal escape", at: start)
                }
                decoded.append(decodedScalar)
            case "x", "u", "U":
                let width = escape == "x" ? 2 : (escape == "u" ? 4 : 8)
                guard index + width <= source.count,
                    let value = UInt32(PyString.make(source[index..<index + width]), radix: 16),
                    source[index..<index + width].allSatisfy({ $0.properties.isASCIIHexDigit })
                else {
                    throw syntaxError("truncated \\\(escape)\(String(repeating: "X", count: width)) escape", at: start)
                }
                guard let decodedScalar = Unicode.Scalar(value) else {
                    throw syntaxError("illegal Unicode character \\\(escape)\(String(value, radix: 16))", at: start)
                }
                decoded.append(decodedScalar)
                index += width
            case "N":
                throw syntaxError("\\N{...} escapes are not supported", at: start)
            default:
                decoded.append("\\")
                decoded.append(escape)
            }
        }
        advance(index + 1 - position)
        return Token(kind: .string, text: String(decoded), location: start)
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        PyString.replace(self, "_", "")
    }
}
