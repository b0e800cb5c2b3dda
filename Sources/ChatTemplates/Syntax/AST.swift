/// Expressions, mirroring Jinja's expression nodes.
indirect enum Expr: Sendable {
    case literal(Literal, SourceLocation)
    case name(String, SourceLocation)
    case list([Expr], SourceLocation)
    case tuple([Expr], SourceLocation)
    case dict([(key: Expr, value: Expr)], SourceLocation)
    /// `a.b`
    case attribute(Expr, String, SourceLocation)
    /// `a[b]`; the index may be a `.slice`.
    case item(Expr, Expr, SourceLocation)
    case slice(start: Expr?, stop: Expr?, step: Expr?, SourceLocation)
    case call(Expr, CallArguments, SourceLocation)
    /// `value | name(args)`; a nil value is the input of a filter block or `set` block.
    case filter(Expr?, String, CallArguments, SourceLocation)
    /// `value is name(args)`
    case test(Expr, String, CallArguments, SourceLocation)
    case not(Expr, SourceLocation)
    case negate(Expr, SourceLocation)
    case plus(Expr, SourceLocation)
    case binary(BinaryOperator, Expr, Expr, SourceLocation)
    case and(Expr, Expr, SourceLocation)
    case or(Expr, Expr, SourceLocation)
    /// `a ~ b ~ c`
    case concat([Expr], SourceLocation)
    /// `a < b <= c`: chained like Python.
    case compare(Expr, [(op: CompareOperator, operand: Expr)], SourceLocation)
    /// `then if test else otherwise`
    case conditional(test: Expr, then: Expr, otherwise: Expr?, SourceLocation)
    /// A constant expression containing a slice, which Jinja's optimizer evaluates at compile time
    /// (see `ConstantFolding`).
    case folded(Expr)

    var location: SourceLocation {
        switch self {
        case .literal(_, let at), .name(_, let at), .list(_, let at), .tuple(_, let at), .dict(_, let at),
            .attribute(_, _, let at), .item(_, _, let at), .slice(_, _, _, let at), .call(_, _, let at),
            .filter(_, _, _, let at), .test(_, _, _, let at), .not(_, let at), .negate(_, let at),
            .plus(_, let at), .binary(_, _, _, let at), .and(_, _, let at), .or(_, _, let at),
            .concat(_, let at), .compare(_, _, let at), .conditional(_, _, _, let at):
            return at
        case .folded(let inner):
            return inner.location
        }
    }
}

enum Literal: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
}

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
}

enum CompareOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case isIn = "in", notIn = "not in"
}

struct CallArguments: Sendable {
    var positional: [Expr] = []
    var keyword: [(name: String, value: Expr)] = []
    /// `*args`
    var spreadPositional: Expr?
    /// `**kwargs`
    var spreadKeyword: Expr?
}

/// What `set`, `for` and `with` may assign to.
indirect enum AssignTarget: Sendable {
    case name(String)
    case tuple([AssignTarget])
    /// `ns.attribute`
    case namespaceAttribute(String, String)
}

struct MacroDefinition: Sendable {
    let name: String
    let parameters: [(name: String, defaultValue: Expr?)]
    let body: [Node]
    /// Jinja decides from the body whether a macro accepts extra arguments or a caller.
    let usesVarargs: Bool
    let usesKwargs: Bool
    let usesCaller: Bool
    let location: SourceLocation
}

struct ForLoop: Sendable {
    let target: AssignTarget
    let iterable: Expr
    let condition: Expr?
    let body: [Node]
    let otherwise: [Node]
    let recursive: Bool
    let location: SourceLocation
}

/// Statements and template text.
indirect enum Node: Sendable {
    case text(String)
    case output(Expr)
    case conditional(branches: [(test: Expr, body: [Node])], otherwise: [Node])
    case forLoop(ForLoop)
    case assign(AssignTarget, Expr, SourceLocation)
    /// `{% set x | filter %}body{% endset %}`
    case assignBlock(AssignTarget, filter: Expr?, body: [Node], SourceLocation)
    case macro(MacroDefinition)
    /// `{% call(params) macro(args) %}body{% endcall %}`
    case callBlock(caller: MacroDefinition, call: Expr, SourceLocation)
    case filterBlock(filter: Expr, body: [Node], SourceLocation)
    case with(bindings: [(target: AssignTarget, value: Expr)], body: [Node])
    case breakLoop(SourceLocation)
    case continueLoop(SourceLocation)
    /// transformers' `{% generation %}` marks assistant output; it renders its body unchanged.
    case generation([Node])
}
