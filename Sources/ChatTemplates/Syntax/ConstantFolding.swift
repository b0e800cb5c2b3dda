/// Marks the expressions Jinja's optimizer may evaluate at compile time.
///
/// Folding only changes results in one place: Jinja compiles a slice to a plain Python subscript
/// (slicing a number raises), but folds a constant slice through its lenient item lookup (slicing
/// a number gives undefined). Whether an expression folds depends on values (`false and x`
/// folds, `x and false` does not), so every expression containing a slice is wrapped in
/// `.folded`; the interpreter first evaluates it as Jinja's `as_const` would, giving up at the
/// first variable or call, and otherwise evaluates it normally.
enum ConstantFolding {
    /// Filters that need the render context, which Jinja never folds.
    static let contextualFilters: Set<String> = ["map", "select", "reject", "selectattr", "rejectattr"]

    static func apply(_ nodes: [Node]) -> [Node] { nodes.map(apply) }

    private static func apply(_ node: Node) -> Node {
        switch node {
        case .text, .breakLoop, .continueLoop:
            return node
        case .macro(let definition): return .macro(apply(definition))
        case .callBlock(let caller, let call, let location):
            return .callBlock(caller: apply(caller), call: fold(call), location)
        case .output(let expr): return .output(fold(expr))
        case .conditional(let branches, let otherwise):
            return .conditional(branches: branches.map { (fold($0.test), apply($0.body)) }, otherwise: apply(otherwise))
        case .forLoop(let loop):
            return .forLoop(ForLoop(
                target: loop.target, iterable: fold(loop.iterable), condition: loop.condition.map(fold),
                body: apply(loop.body), otherwise: apply(loop.otherwise), recursive: loop.recursive,
                location: loop.location))
        case .assign(let target, let expr, let location): return .assign(target, fold(expr), location)
        case .assignBlock(let target, let filter, let body, let location):
            return .assignBlock(target, filter: filter, body: apply(body), location)
        case .filterBlock(let filter, let body, let location):
            return .filterBlock(filter: filter, body: apply(body), location)
        case .with(let bindings, let body):
            return .with(bindings: bindings.map { ($0.target, fold($0.value)) }, body: apply(body))
        case .generation(let body): return .generation(apply(body))
        }
    }

    private static func apply(_ macro: MacroDefinition) -> MacroDefinition {
        MacroDefinition(
            name: macro.name, parameters: macro.parameters.map { ($0.name, $0.defaultValue.map(fold)) },
            body: apply(macro.body), usesVarargs: macro.usesVarargs, usesKwargs: macro.usesKwargs,
            usesCaller: macro.usesCaller, location: macro.location)
    }

    /// Wraps every constant sub-expression that contains a slice, innermost first.
    static func fold(_ expr: Expr) -> Expr {
        guard containsSlice(expr) else { return expr }
        let rebuilt: Expr
        switch expr {
        case .list(let items, let at): rebuilt = .list(items.map(fold), at)
        case .tuple(let items, let at): rebuilt = .tuple(items.map(fold), at)
        case .concat(let items, let at): rebuilt = .concat(items.map(fold), at)
        case .dict(let pairs, let at): rebuilt = .dict(pairs.map { (fold($0.key), fold($0.value)) }, at)
        case .attribute(let base, let name, let at): rebuilt = .attribute(fold(base), name, at)
        case .item(let base, let index, let at): rebuilt = .item(fold(base), fold(index), at)
        case .slice(let start, let stop, let step, let at):
            rebuilt = .slice(start: start.map(fold), stop: stop.map(fold), step: step.map(fold), at)
        case .call(let callee, let arguments, let at): rebuilt = .call(fold(callee), fold(arguments), at)
        case .filter(let base, let name, let arguments, let at): rebuilt = .filter(base.map(fold), name, fold(arguments), at)
        case .test(let base, let name, let arguments, let at): rebuilt = .test(fold(base), name, fold(arguments), at)
        case .not(let base, let at): rebuilt = .not(fold(base), at)
        case .negate(let base, let at): rebuilt = .negate(fold(base), at)
        case .plus(let base, let at): rebuilt = .plus(fold(base), at)
        case .binary(let op, let left, let right, let at): rebuilt = .binary(op, fold(left), fold(right), at)
        case .and(let left, let right, let at): rebuilt = .and(fold(left), fold(right), at)
        case .or(let left, let right, let at): rebuilt = .or(fold(left), fold(right), at)
        case .compare(let first, let operations, let at):
            rebuilt = .compare(fold(first), operations.map { ($0.op, fold($0.operand)) }, at)
        case .conditional(let test, let then, let otherwise, let at):
            rebuilt = .conditional(test: fold(test), then: fold(then), otherwise: otherwise.map(fold), at)
        case .literal, .name, .folded:
            rebuilt = expr
        }
        if case .slice = rebuilt { return rebuilt }
        return .folded(rebuilt)
    }

    private static func fold(_ arguments: CallArguments) -> CallArguments {
        CallArguments(
            positional: arguments.positional.map(fold), keyword: arguments.keyword.map { ($0.name, fold($0.value)) },
            spreadPositional: arguments.spreadPositional.map(fold), spreadKeyword: arguments.spreadKeyword.map(fold))
    }

    private static func containsSlice(_ expr: Expr) -> Bool {
        switch expr {
        case .slice: return true
        case .literal, .name: return false
        case .folded(let inner): return containsSlice(inner)
        case .list(let items, _), .tuple(let items, _), .concat(let items, _): return items.contains(where: containsSlice)
        case .dict(let pairs, _): return pairs.contains { containsSlice($0.key) || containsSlice($0.value) }
        case .attribute(let base, _, _), .not(let base, _), .negate(let base, _), .plus(let base, _):
            return containsSlice(base)
        case .item(let base, let index, _): return containsSlice(base) || containsSlice(index)
        case .call(let callee, let arguments, _): return containsSlice(callee) || containsSlice(arguments)
        case .filter(let base, _, let arguments, _): return (base.map(containsSlice) ?? false) || containsSlice(arguments)
        case .test(let base, _, let arguments, _): return containsSlice(base) || containsSlice(arguments)
        case .binary(_, let left, let right, _), .and(let left, let right, _), .or(let left, let right, _):
            return containsSlice(left) || containsSlice(right)
        case .compare(let first, let operations, _):
            return containsSlice(first) || operations.contains { containsSlice($0.operand) }
        case .conditional(let test, let then, let otherwise, _):
            return containsSlice(test) || containsSlice(then) || (otherwise.map(containsSlice) ?? false)
        }
    }

    private static func containsSlice(_ arguments: CallArguments) -> Bool {
        arguments.positional.contains(where: containsSlice) || arguments.keyword.contains { containsSlice($0.value) }
            || (arguments.spreadPositional.map(containsSlice) ?? false)
            || (arguments.spreadKeyword.map(containsSlice) ?? false)
    }

    /// Jinja's `has_safe_repr`: values the optimizer can write back into generated code.
    static func hasLiteralForm(_ value: Value) -> Bool {
        switch value {
        case .none, .bool, .int, .double, .string, .markup: return true
        case .list(let items), .tuple(let items): return items.allSatisfy(hasLiteralForm)
        case .dict(let dict): return dict.keys.allSatisfy(hasLiteralForm) && dict.values.allSatisfy(hasLiteralForm)
        default: return false
        }
    }
}
