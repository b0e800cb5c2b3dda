/// Recursive-descent parser following Jinja's grammar and operator precedence:
/// conditional < or < and < not < comparison < `+ -` < `~` < `* / // %` < `**` < unary
/// `- +` < postfix (attribute, subscript, call) < filters and tests.
struct Parser {
    private let tokens: [Token]
    private var index = 0
    /// Open block tags, innermost last, for "unexpected end" messages.
    private var openTags: [String] = []
    private var loopDepth = 0
    private var nesting = 0
    /// Deeper nesting than this is refused instead of overflowing the stack.
    static let maximumNesting = 250

    init(tokens: [Token]) { self.tokens = tokens }

    static func parse(_ source: String) throws -> [Node] {
        var parser = Parser(tokens: try Lexer.tokenize(source))
        return try parser.parseTemplate()
    }

    // MARK: token stream

    private var current: Token { tokens[index] }

    private func look(_ offset: Int = 1) -> Token {
        tokens[min(index + offset, tokens.count - 1)]
    }

    private mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    private mutating func skipOperator(_ symbol: String) -> Bool {
        guard current.isOperator(symbol) else { return false }
        advance()
        return true
    }

    private mutating func skipName(_ name: String) -> Bool {
        guard current.isName(name) else { return false }
        advance()
        return true
    }

    private func fail(_ message: String, at token: Token? = nil) -> TemplateError {
        let at = (token ?? current).location
        return .syntax(line: at.line, column: at.column, message: message)
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .data: return "template data"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name: return token.text
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .op: return token.text
        case .eof: return "end of template"
        }
    }

    private mutating func expectOperator(_ symbol: String) throws {
        guard skipOperator(symbol) else {
            throw fail("expected '\(symbol)', got '\(describe(current))'")
        }
    }

    private mutating func expectName() throws -> Token {
        guard current.kind == .name else { throw fail("expected name, got '\(describe(current))'") }
        defer { advance() }
        return current
    }

    private mutating func expectKeyword(_ name: String) throws {
        guard skipName(name) else { throw fail("expected '\(name)', got '\(describe(current))'") }
    }

    private mutating func expect(_ kind: Token.Kind) throws {
        guard current.kind == kind else {
            if current.kind == .eof { throw unexpectedEnd() }
            let wanted = describe(Token(kind: kind, text: "", location: current.location))
            throw fail("expected '\(wanted)', got '\(describe(current))'")
        }
        advance()
    }

    private func unexpectedEnd() -> TemplateError {
        if let innermost = openTags.last {
            return fail("unexpected end of template; the innermost block that needs to be closed is '\(innermost)'")
        }
        return fail("unexpected end of template")
    }

    /// Left-associative chains (`a + b + c`, `x | f | g`, `a.b.c`) nest the tree one level per
    /// link, so each link counts towards the nesting limit until the chain's parse returns.
    private mutating func extendChain(_ links: inout Int) throws {
        links += 1
        nesting += 1
        guard nesting <= Self.maximumNesting else { throw fail("expression nesting is deeper than \(Self.maximumNesting)") }
    }

    private mutating func nest<T>(_ body: (inout Parser) throws -> T) throws -> T {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumNesting else { throw fail("template nesting is deeper than \(Self.maximumNesting)") }
        return try body(&self)
    }

    // MARK: statements

    mutating func parseTemplate() throws -> [Node] {
        let body = try subparse(endTags: [])
        guard current.kind == .eof else { throw fail("unexpected '\(describe(current))'") }
        return body
    }

    /// Parses template data and statements until a block tag named in `endTags`; the current
    /// token is then that tag's name.
    private mutating func subparse(endTags: Set<String>) throws -> [Node] {
        var body: [Node] = []
        while true {
            switch current.kind {
            case .data:
                body.append(.text(current.text))
                advance()
            case .variableBegin:
                advance()
                body.append(.output(try parseTuple()))
                try expect(.variableEnd)
            case .blockBegin:
                advance()
                if current.kind == .name, endTags.contains(current.text) { return body }
                body.append(contentsOf: try parseStatement(endTags: endTags))
                try expect(.blockEnd)
            case .eof:
                return body
            default:
                throw fail("unexpected '\(describe(current))'")
            }
        }
    }

    /// After a statement header: `%}`, the body, and the end tag (consumed when `dropEnd`).
    private mutating func parseBody(until endTags: Set<String>, tag: String, dropEnd: Bool) throws -> [Node] {
        _ = skipOperator(":")
        try expect(.blockEnd)
        openTags.append(tag)
        defer { openTags.removeLast() }
        let body = try nest { try $0.subparse(endTags: endTags) }
        if current.kind == .eof { throw unexpectedEnd() }
        if dropEnd { advance() }
        return body
    }

    private mutating func parseStatement(endTags: Set<String>) throws -> [Node] {
        let token = current
        guard token.kind == .name else { throw fail("tag name expected") }
        switch token.text {
        case "if": return [try parseIf()]
        case "for": return [try parseFor()]
        case "set": return [try parseSet()]
        case "macro": return [try parseMacro()]
        case "call": return [try parseCallBlock()]
        case "filter": return [try parseFilterBlock()]
        case "with": return [try parseWith()]
        case "print":
            advance()
            var outputs: [Node] = []
            while current.kind != .blockEnd {
                if !outputs.isEmpty { try expectOperator(",") }
                outputs.append(.output(try parseExpression()))
            }
            return outputs
        case "break", "continue":
            advance()
            guard loopDepth > 0 else { throw fail("'\(token.text)' outside of a loop", at: token) }
            return [token.text == "break" ? .breakLoop(token.location) : .continueLoop(token.location)]
        case "generation":
            advance()
            return [.generation(try parseBody(until: ["endgeneration"], tag: "generation", dropEnd: true))]
        case "block", "extends", "include", "import", "from", "autoescape":
            throw fail("the '\(token.text)' tag is not supported in chat templates", at: token)
        default:
            var message = "Encountered unknown tag '\(token.text)'."
            if !endTags.isEmpty {
                let wanted = endTags.sorted().map { "'\($0)'" }.joined(separator: " or ")
                message += " Jinja was looking for the following tags: \(wanted)."
            }
            if let innermost = openTags.last {
                message += " The innermost block that needs to be closed is '\(innermost)'."
            }
            throw fail(message, at: token)
        }
    }

    private mutating func parseIf() throws -> Node {
        advance()
        var branches: [(test: Expr, body: [Node])] = []
        var otherwise: [Node] = []
        while true {
            let test = try parseTuple(withConditional: false)
            let body = try parseBody(until: ["elif", "else", "endif"], tag: "if", dropEnd: false)
            branches.append((test, body))
            let end = current.text
            advance()
            if end == "elif" { continue }
            if end == "else" {
                otherwise = try parseBody(until: ["endif"], tag: "if", dropEnd: true)
            }
            break
        }
        return .conditional(branches: branches, otherwise: otherwise)
    }

    private mutating func parseFor() throws -> Node {
        let location = current.location
        advance()
        let target = try parseAssignTarget(extraEndNames: ["in"])
        try expectKeyword("in")
        let iterable = try parseTuple(withConditional: false, extraEndNames: ["recursive"])
        var condition: Expr?
        if skipName("if") { condition = try parseExpression() }
        let recursive = skipName("recursive")
        loopDepth += 1
        let body = try parseBody(until: ["endfor", "else"], tag: "for", dropEnd: false)
        loopDepth -= 1
        let end = current.text
        advance()
        var otherwise: [Node] = []
        if end == "else" {
            // `break` in the else branch would leave an already finished loop.
            let savedDepth = loopDepth
            loopDepth = 0
            otherwise = try parseBody(until: ["endfor"], tag: "for", dropEnd: true)
            loopDepth = savedDepth
        }
        return .forLoop(ForLoop(
            target: target, iterable: iterable, condition: condition, body: body, otherwise: otherwise,
            recursive: recursive, location: location))
    }

    private mutating func parseSet() throws -> Node {
        let location = current.location
        advance()
        let target = try parseAssignTarget(withNamespace: true)
        if skipOperator("=") {
            return .assign(target, try parseTuple(), location)
        }
        let filter = try parseFilterChain(on: nil, startInline: false)
        let body = try parseBody(until: ["endset"], tag: "set", dropEnd: true)
        return .assignBlock(target, filter: filter, body: body, location)
    }

    private mutating func parseSignature() throws -> [(name: String, defaultValue: Expr?)] {
        var parameters: [(name: String, defaultValue: Expr?)] = []
        try expectOperator("(")
        while !current.isOperator(")") {
            if !parameters.isEmpty { try expectOperator(",") }
            let name = try expectName()
            if skipOperator("=") {
                parameters.append((name.text, try parseExpression()))
            } else {
                if parameters.contains(where: { $0.defaultValue != nil }) {
                    throw fail("non-default argument follows default argument", at: name)
                }
                parameters.append((name.text, nil))
            }
        }
        try expectOperator(")")
        return parameters
    }

    private mutating func parseMacroBody(name: String, parameters: [(name: String, defaultValue: Expr?)],
        location: SourceLocation, endTag: String) throws -> MacroDefinition
    {
        let savedDepth = loopDepth
        loopDepth = 0
        defer { loopDepth = savedDepth }
        let body = try parseBody(until: [endTag], tag: endTag == "endmacro" ? "macro" : "call", dropEnd: true)
        var names = Set<String>()
        NameCollector.collect(body, into: &names)
        return MacroDefinition(
            name: name, parameters: parameters, body: body, usesVarargs: names.contains("varargs"),
            usesKwargs: names.contains("kwargs"), usesCaller: names.contains("caller"), location: location)
    }

    private mutating func parseMacro() throws -> Node {
        let location = current.location
        advance()
        let name = try expectName().text
        let parameters = try parseSignature()
        return .macro(try parseMacroBody(name: name, parameters: parameters, location: location, endTag: "endmacro"))
    }

    private mutating func parseCallBlock() throws -> Node {
        let location = current.location
        advance()
        let parameters = current.isOperator("(") ? try parseSignature() : []
        let call = try parseExpression()
        guard case .call = call else { throw fail("expected call", at: tokens[index]) }
        let caller = try parseMacroBody(name: "caller", parameters: parameters, location: location, endTag: "endcall")
        return .callBlock(caller: caller, call: call, location)
    }

    private mutating func parseFilterBlock() throws -> Node {
        let location = current.location
        advance()
        guard let filter = try parseFilterChain(on: nil, startInline: true) else { throw fail("expected a filter") }
        let body = try parseBody(until: ["endfilter"], tag: "filter", dropEnd: true)
        return .filterBlock(filter: filter, body: body, location)
    }

    private mutating func parseWith() throws -> Node {
        advance()
        var bindings: [(target: AssignTarget, value: Expr)] = []
        while current.kind != .blockEnd {
            if !bindings.isEmpty { try expectOperator(",") }
            let target = try parseAssignTarget()
            try expectOperator("=")
            bindings.append((target, try parseExpression()))
        }
        return .with(bindings: bindings, body: try parseBody(until: ["endwith"], tag: "with", dropEnd: true))
    }

    // MARK: assignment targets

    private func isTupleEnd(_ extraEndNames: Set<String>) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd: return true
        case .op: return current.text == ")"
        case .name: return extraEndNames.contains(current.text)
        default: return false
        }
    }

    private mutating func parseAssignTarget(extraEndNames: Set<String> = [], withNamespace: Bool = false) throws
        -> AssignTarget
    {
        var targets: [AssignTarget] = []
        var isTuple = false
        while true {
            if !targets.isEmpty { try expectOperator(",") }
            if isTupleEnd(extraEndNames) { break }
            targets.append(try parseSingleTarget(withNamespace: withNamespace))
            if current.isOperator(",") { isTuple = true } else { break }
        }
        if !isTuple, let only = targets.first { return only }
        if targets.isEmpty { throw fail("expected an assignment target, got '\(describe(current))'") }
        return .tuple(targets)
    }

    private mutating func parseSingleTarget(withNamespace: Bool) throws -> AssignTarget {
        let token = current
        if token.kind == .name {
            if ["true", "false", "none", "True", "False", "None"].contains(token.text) {
                throw fail("can't assign to 'const'", at: token)
            }
            advance()
            if withNamespace, current.isOperator(".") {
                advance()
                return .namespaceAttribute(token.text, try expectName().text)
            }
            return .name(token.text)
        }
        if token.isOperator("(") {
            advance()
            let inner = try nest { try $0.parseAssignTarget(withNamespace: withNamespace) }
            try expectOperator(")")
            return inner
        }
        throw fail("can't assign to '\(describe(token))'", at: token)
    }

    // MARK: expressions

    mutating func parseExpression(withConditional: Bool = true) throws -> Expr {
        try nest { parser in
            withConditional ? try parser.parseConditional() : try parser.parseOr()
        }
    }

    private mutating func parseConditional() throws -> Expr {
        var links = 0
        defer { nesting -= links }
        var expr = try parseOr()
        while current.isName("if") {
            try extendChain(&links)
            let location = current.location
            advance()
            let test = try parseOr()
            var otherwise: Expr?
            if skipName("else") { otherwise = try parseExpression() }
            expr = .conditional(test: test, then: expr, otherwise: otherwise, location)
        }
        return expr
    }

    private mutating func parseOr() throws -> Expr {
        var links = 0
        defer { nesting -= links }
        var left = try parseAnd()
        while current.isName("or") {
            try extendChain(&links)
            let location = current.location
            advance()
            left = .or(left, try parseAnd(), location)
        }
        return left
    }

    private mutating func parseAnd() throws -> Expr {
        var links = 0
        defer { nesting -= links }
        var left = try parseNot()
        while current.isName("and") {
            try extendChain(&links)
            let location = current.location
            advance()
            left = .and(left, try parseNot(), location)
        }
        return left
    }

    private mutating func parseNot() throws -> Expr {
        if current.isName("not") {
            let location = current.location
            advance()
            return .not(try nest { try $0.parseNot() }, location)
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> Expr {
        let location = current.location
        let first = try parseAdditive()
        var operations: [(op: CompareOperator, operand: Expr)] = []
        while true {
            if current.kind == .op, let op = CompareOperator(rawValue: current.text), op != .isIn, op != .notIn {
                advance()
                operations.append((op, try parseAdditive()))
            } else if current.isName("in") {
                advance()
                operations.append((.isIn, try parseAdditive()))
            } else if current.isName("not"), look().isName("in") {
                advance()
                advance()
                operations.append((.notIn, try parseAdditive()))
            } else {
                break
            }
        }
        return operations.isEmpty ? first : .compare(first, operations, location)
    }

    private mutating func parseAdditive() throws -> Expr {
        var links = 0
        defer { nesting -= links }
        var left = try parseConcat()
        while current.isOperator("+") || current.isOperator("-") {
            try extendChain(&links)
            let op: BinaryOperator = current.text == "+" ? .add : .subtract
            let location = current.location
            advance()
            left = .binary(op, left, try parseConcat(), location)
        }
        return left
    }

    private mutating func parseConcat() throws -> Expr {
        let location = current.location
        var parts = [try parseMultiplicative()]
        while skipOperator("~") { parts.append(try parseMultiplicative()) }
        return parts.count == 1 ? parts[0] : .concat(parts, location)
    }

    private mutating func parseMultiplicative() throws -> Expr {
        var links = 0
        defer { nesting -= links }
        var left = try parsePower()
        while current.kind == .op, let op = BinaryOperator(rawValue: current.text),
            [.multiply, .divide, .floorDivide, .modulo].contains(op)
        {
            try extendChain(&links)
            let location = current.location
            advance()
            left = .binary(op, left, try parsePower(), location)
        }
        return left
    }

    private mutating func parsePower() throws -> Expr {
        var links = 0
        defer { nesting -= links }
        var left = try parseUnary()
        while current.isOperator("**") {
            try extendChain(&links)
            let location = current.location
            advance()
            left = .binary(.power, left, try parseUnary(), location)
        }
        return left
    }

    private mutating func parseUnary(withFilter: Bool = true) throws -> Expr {
        try nest { parser in
            let location = parser.current.location
            var node: Expr
            if parser.skipOperator("-") {
                node = .negate(try parser.parseUnary(withFilter: false), location)
            } else if parser.skipOperator("+") {
                node = .plus(try parser.parseUnary(withFilter: false), location)
            } else {
                node = try parser.parsePrimary()
            }
            node = try parser.parsePostfix(node)
            if withFilter { node = try parser.parseFilterAndTests(node) }
            return node
        }
    }

    private mutating func parsePrimary() throws -> Expr {
        let token = current
        switch token.kind {
        case .name:
            advance()
            switch token.text {
            case "true", "True": return .literal(.bool(true), token.location)
            case "false", "False": return .literal(.bool(false), token.location)
            case "none", "None": return .literal(.none, token.location)
            default: return .name(token.text, token.location)
            }
        case .string:
            var text = token.text
            advance()
            while current.kind == .string {
                text += current.text
                advance()
            }
            return .literal(.string(text), token.location)
        case .integer:
            advance()
            return .literal(.int(token.integerValue), token.location)
        case .float:
            advance()
            return .literal(.double(token.floatValue), token.location)
        case .op where token.text == "(":
            advance()
            let inner = try parseTuple(explicitParentheses: true)
            try expectOperator(")")
            return inner
        case .op where token.text == "[":
            advance()
            var items: [Expr] = []
            while !current.isOperator("]") {
                if !items.isEmpty { try expectOperator(",") }
                if current.isOperator("]") { break }
                items.append(try parseExpression())
            }
            try expectOperator("]")
            return .list(items, token.location)
        case .op where token.text == "{":
            advance()
            var pairs: [(key: Expr, value: Expr)] = []
            while !current.isOperator("}") {
                if !pairs.isEmpty { try expectOperator(",") }
                if current.isOperator("}") { break }
                let key = try parseExpression()
                try expectOperator(":")
                pairs.append((key, try parseExpression()))
            }
            try expectOperator("}")
            return .dict(pairs, token.location)
        case .eof:
            throw unexpectedEnd()
        default:
            throw fail("unexpected '\(describe(token))'", at: token)
        }
    }

    /// Expressions separated by commas become a tuple; used where Jinja allows bare tuples.
    private mutating func parseTuple(withConditional: Bool = true, extraEndNames: Set<String> = [],
        explicitParentheses: Bool = false) throws -> Expr
    {
        let location = current.location
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOperator(",") }
            if isTupleEnd(extraEndNames) { break }
            items.append(try parseExpression(withConditional: withConditional))
            if current.isOperator(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let only = items.first { return only }
            if !explicitParentheses {
                if current.kind == .eof { throw unexpectedEnd() }
                throw fail("Expected an expression, got '\(describe(current))'")
            }
        }
        return .tuple(items, location)
    }

    private mutating func parsePostfix(_ start: Expr) throws -> Expr {
        var links = 0
        defer { nesting -= links }
        var node = start
        while true {
            try extendChain(&links)
            if current.isOperator(".") || current.isOperator("[") {
                node = try parseSubscript(node)
            } else if current.isOperator("(") {
                node = try parseCall(node)
            } else {
                return node
            }
        }
    }

    private mutating func parseFilterAndTests(_ start: Expr) throws -> Expr {
        var links = 0
        defer { nesting -= links }
        var node = start
        while true {
            try extendChain(&links)
            if current.isOperator("|") {
                node = try parseFilterChain(on: node, startInline: false) ?? node
            } else if current.isName("is") {
                node = try parseTest(node)
            } else if current.isOperator("(") {
                node = try parseCall(node)
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ node: Expr) throws -> Expr {
        let token = current
        advance()
        if token.text == "." {
            let attribute = current
            advance()
            if attribute.kind == .name { return .attribute(node, attribute.text, token.location) }
            guard attribute.kind == .integer else { throw fail("expected name or number", at: attribute) }
            return .item(node, .literal(.int(attribute.integerValue), attribute.location), token.location)
        }
        var arguments: [Expr] = []
        while !current.isOperator("]") {
            if !arguments.isEmpty { try expectOperator(",") }
            arguments.append(try parseSubscribed())
        }
        try expectOperator("]")
        let argument = arguments.count == 1 ? arguments[0] : .tuple(arguments, token.location)
        return .item(node, argument, token.location)
    }

    private mutating func parseSubscribed() throws -> Expr {
        let location = current.location
        var start: Expr?
        if current.isOperator(":") {
            advance()
        } else {
            let node = try parseExpression()
            guard current.isOperator(":") else { return node }
            advance()
            start = node
        }
        var stop: Expr?
        if !current.isOperator(":") && !current.isOperator("]") && !current.isOperator(",") {
            stop = try parseExpression()
        }
        var step: Expr?
        if skipOperator(":") {
            if !current.isOperator("]") && !current.isOperator(",") { step = try parseExpression() }
        }
        return .slice(start: start, stop: stop, step: step, location)
    }

    private mutating func parseCallArguments() throws -> CallArguments {
        let open = current
        try expectOperator("(")
        var arguments = CallArguments()
        var requireComma = false
        func ensure(_ condition: Bool) throws {
            if !condition { throw fail("invalid syntax for function call expression", at: open) }
        }
        while !current.isOperator(")") {
            if requireComma {
                try expectOperator(",")
                if current.isOperator(")") { break }
            }
            if skipOperator("*") {
                try ensure(arguments.spreadPositional == nil && arguments.spreadKeyword == nil)
                arguments.spreadPositional = try parseExpression()
            } else if skipOperator("**") {
                try ensure(arguments.spreadKeyword == nil)
                arguments.spreadKeyword = try parseExpression()
            } else if current.kind == .name, look().isOperator("=") {
                try ensure(arguments.spreadKeyword == nil)
                let key = current.text
                advance()
                advance()
                arguments.keyword.append((key, try parseExpression()))
            } else {
                try ensure(arguments.spreadPositional == nil && arguments.spreadKeyword == nil && arguments.keyword.isEmpty)
                arguments.positional.append(try parseExpression())
            }
            requireComma = true
        }
        try expectOperator(")")
        return arguments
    }

    private mutating func parseCall(_ node: Expr) throws -> Expr {
        let location = current.location
        return .call(node, try parseCallArguments(), location)
    }

    /// `| name(args) | name ...`; with `startInline` the first filter has no leading pipe.
    private mutating func parseFilterChain(on start: Expr?, startInline: Bool) throws -> Expr? {
        var node = start
        var inline = startInline
        var links = 0
        defer { nesting -= links }
        while current.isOperator("|") || inline {
            try extendChain(&links)
            if !inline { advance() }
            inline = false
            let nameToken = try expectName()
            var name = nameToken.text
            while skipOperator(".") { name += "." + (try expectName().text) }
            let arguments = current.isOperator("(") ? try parseCallArguments() : CallArguments()
            node = .filter(node, name, arguments, nameToken.location)
        }
        return node
    }

    private mutating func parseTest(_ node: Expr) throws -> Expr {
        let location = current.location
        advance()
        let negated = skipName("not")
        var name = try expectName().text
        while skipOperator(".") { name += "." + (try expectName().text) }
        var arguments = CallArguments()
        if current.isOperator("(") {
            arguments = try parseCallArguments()
        } else if [.name, .string, .integer, .float].contains(current.kind)
            || current.isOperator("[") || current.isOperator("{"),
            !current.isName("else"), !current.isName("or"), !current.isName("and")
        {
            if current.isName("is") { throw fail("You cannot chain multiple tests with is") }
            arguments.positional = [try parsePostfix(try parsePrimary())]
        }
        let test = Expr.test(node, name, arguments, location)
        return negated ? .not(test, location) : test
    }
}
