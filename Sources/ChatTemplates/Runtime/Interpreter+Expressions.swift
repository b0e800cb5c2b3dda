extension Interpreter {
    /// Evaluates an expression; failures carry the location of the innermost failing node.
    func evaluate(_ expr: Expr, _ scope: Scope) throws -> Value {
        do {
            return try evaluateUnlocated(expr, scope)
        } catch let error as EvalError {
            throw locate(error, expr.location)
        }
    }

    static let notConstant = EvalError(kind: .notConstant, message: "not a constant expression")

    func lookup(_ name: String, _ scope: Scope) -> Value {
        scope.lookup(name) ?? globals[name] ?? .undefined(.name(name))
    }

    private func evaluateUnlocated(_ expr: Expr, _ scope: Scope) throws -> Value {
        switch expr {
        case .literal(let literal, _):
            switch literal {
            case .none: return .none
            case .bool(let flag): return .bool(flag)
            case .int(let number): return .int(number)
            case .double(let number): return .double(number)
            case .string(let text): return .string(text)
            }
        case .name(let name, _):
            if foldingDepth > 0 { throw Self.notConstant }
            return lookup(name, scope)
        case .list(let items, _):
            return .list(try items.map { try evaluate($0, scope) })
        case .tuple(let items, _):
            return .tuple(try items.map { try evaluate($0, scope) })
        case .dict(let pairs, _):
            var dict = Dict()
            for pair in pairs {
                let key = try evaluate(pair.key, scope)
                try Python.requireHashable(key)
                dict.set(key, try evaluate(pair.value, scope))
            }
            return .dict(dict)
        case .attribute(let base, let name, _):
            return try Operations.attribute(of: try evaluate(base, scope), name)
        case .item(let base, let index, _):
            let container = try evaluate(base, scope)
            if case .slice(let start, let stop, let step, _) = index {
                do {
                    return try Operations.slice(
                        container, start: try start.map { try evaluate($0, scope) },
                        stop: try stop.map { try evaluate($0, scope) }, step: try step.map { try evaluate($0, scope) })
                } catch let error as EvalError where error.kind == .type && foldingDepth > 0 {
                    // Compile-time evaluation goes through Jinja's lenient item lookup.
                    return .undefined(Undefined(hint: "'\(Python.objectDescription(container))' has no element (slice)"))
                }
            }
            return try Operations.item(of: container, try evaluate(index, scope))
        case .slice:
            throw EvalError.type("a slice is only valid inside []")
        case .call(let callee, let arguments, let location):
            if foldingDepth > 0 { throw Self.notConstant }
            let function = try evaluate(callee, scope)
            return try Operations.call(function, try evaluateArguments(arguments, scope, at: location))
        case .filter(let base, let name, let arguments, let location):
            if foldingDepth > 0 && ConstantFolding.contextualFilters.contains(name) { throw Self.notConstant }
            let input = try base.map { try evaluate($0, scope) } ?? .undefined(.name("filter input"))
            return try applyFilter(name, to: input, try evaluateArguments(arguments, scope, at: location))
        case .test(let base, let name, let arguments, let location):
            let input = try evaluate(base, scope)
            return .bool(try applyTest(name, to: input, try evaluateArguments(arguments, scope, at: location)))
        case .not(let operand, _):
            return .bool(!Python.truthy(try evaluate(operand, scope)))
        case .negate(let operand, _):
            return try Operations.negate(try evaluate(operand, scope))
        case .plus(let operand, _):
            return try Operations.positive(try evaluate(operand, scope))
        case .binary(let op, let left, let right, _):
            return try Operations.binary(op, try evaluate(left, scope), try evaluate(right, scope))
        case .and(let left, let right, _):
            let first = try evaluate(left, scope)
            return Python.truthy(first) ? try evaluate(right, scope) : first
        case .or(let left, let right, _):
            let first = try evaluate(left, scope)
            return Python.truthy(first) ? first : try evaluate(right, scope)
        case .concat(let parts, _):
            var text = ""
            for part in parts { text += try Python.str(try evaluate(part, scope)) }
            return .string(text)
        case .compare(let first, let operations, _):
            var left = try evaluate(first, scope)
            for operation in operations {
                let right = try evaluate(operation.operand, scope)
                guard try Operations.compare(operation.op, left, right) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .folded(let inner):
            return try evaluateFolded(inner, scope, anyValue: false)
        case .conditional(let test, let then, let otherwise, let location):
            if Python.truthy(try evaluate(test, scope)) { return try evaluate(then, scope) }
            if let otherwise { return try evaluate(otherwise, scope) }
            if foldingDepth > 0 { throw Self.notConstant }
            return .undefined(Undefined(
                hint: "the inline if-expression on line \(location.line) evaluated to false and no else section was defined."))
        }
    }

    /// Jinja's optimizer replaces a constant expression by its value when evaluating it succeeds
    /// and the value can be written back as a literal (or is printed or tested directly, which
    /// needs no literal); otherwise the expression runs at render time as usual.
    func evaluateFolded(_ inner: Expr, _ scope: Scope, anyValue: Bool) throws -> Value {
        if foldingDepth > 0 { return try evaluate(inner, scope) }
        foldingDepth += 1
        let folded = try? evaluate(inner, scope)
        foldingDepth -= 1
        if let folded, anyValue || ConstantFolding.hasLiteralForm(folded) { return folded }
        return try evaluate(inner, scope)
    }

    func evaluateArguments(_ arguments: CallArguments, _ scope: Scope, at location: SourceLocation) throws -> Arguments {
        var values = Arguments()
        values.positional = try arguments.positional.map { try evaluate($0, scope) }
        values.keyword = try arguments.keyword.map { ($0.name, try evaluate($0.value, scope)) }
        if let spread = arguments.spreadPositional {
            let extra = try evaluate(spread, scope)
            values.positional += try located(location) { try Operations.iterate(extra) }
        }
        if let spread = arguments.spreadKeyword {
            guard case .dict(let dict) = try evaluate(spread, scope) else {
                throw locate(EvalError.type("argument after ** must be a mapping"), location)
            }
            for (key, value) in dict.pairs {
                guard case .string(let name) = key else {
                    throw locate(EvalError.type("keywords must be strings"), location)
                }
                values.keyword.append((name, value))
            }
        }
        return values
    }

    /// Applies a filter expression whose innermost input is nil (filter blocks, `set` blocks).
    func applyFilterChain(_ chain: Expr, to input: Value, _ scope: Scope) throws -> Value {
        guard case .filter(let base, let name, let arguments, let location) = chain else {
            return try evaluate(chain, scope)
        }
        let inner = try base.map { try applyFilterChain($0, to: input, scope) } ?? input
        let values = try evaluateArguments(arguments, scope, at: location)
        return try located(location) { try applyFilter(name, to: inner, values) }
    }
}
