/// Collects every variable name an AST reads, to decide what a macro accepts.
enum NameCollector {
    static func collect(_ nodes: [Node], into names: inout Set<String>) {
        for node in nodes { collect(node, into: &names) }
    }

    static func collect(_ node: Node, into names: inout Set<String>) {
        switch node {
        case .text, .breakLoop, .continueLoop: break
        case .output(let expr): collect(expr, into: &names)
        case .conditional(let branches, let otherwise):
            for branch in branches {
                collect(branch.test, into: &names)
                collect(branch.body, into: &names)
            }
            collect(otherwise, into: &names)
        case .forLoop(let loop):
            collect(loop.iterable, into: &names)
            if let condition = loop.condition { collect(condition, into: &names) }
            collect(loop.body, into: &names)
            collect(loop.otherwise, into: &names)
        case .assign(_, let expr, _): collect(expr, into: &names)
        case .assignBlock(_, let filter, let body, _):
            if let filter { collect(filter, into: &names) }
            collect(body, into: &names)
        case .macro(let macro):
            for parameter in macro.parameters { if let value = parameter.defaultValue { collect(value, into: &names) } }
            collect(macro.body, into: &names)
        case .callBlock(let caller, let call, _):
            collect(caller.body, into: &names)
            collect(call, into: &names)
        case .filterBlock(let filter, let body, _):
            collect(filter, into: &names)
            collect(body, into: &names)
        case .with(let bindings, let body):
            for binding in bindings { collect(binding.value, into: &names) }
            collect(body, into: &names)
        case .generation(let body): collect(body, into: &names)
        }
    }

    static func collect(_ expr: Expr, into names: inout Set<String>) {
        switch expr {
        case .literal: break
        case .name(let name, _): names.insert(name)
        case .list(let items, _), .tuple(let items, _), .concat(let items, _):
            for item in items { collect(item, into: &names) }
        case .dict(let pairs, _):
            for pair in pairs {
                collect(pair.key, into: &names)
                collect(pair.value, into: &names)
            }
        case .attribute(let base, _, _), .not(let base, _), .negate(let base, _), .plus(let base, _):
            collect(base, into: &names)
        case .item(let base, let index, _):
            collect(base, into: &names)
            collect(index, into: &names)
        case .slice(let start, let stop, let step, _):
            for part in [start, stop, step] { if let part { collect(part, into: &names) } }
        case .call(let callee, let arguments, _):
            collect(callee, into: &names)
            collect(arguments, into: &names)
        case .filter(let base, _, let arguments, _):
            if let base { collect(base, into: &names) }
            collect(arguments, into: &names)
        case .test(let base, _, let arguments, _):
            collect(base, into: &names)
            collect(arguments, into: &names)
        case .binary(_, let left, let right, _), .and(let left, let right, _), .or(let left, let right, _):
            collect(left, into: &names)
            collect(right, into: &names)
        case .compare(let first, let operations, _):
            collect(first, into: &names)
            for operation in operations { collect(operation.operand, into: &names) }
        case .conditional(let test, let then, let otherwise, _):
            collect(test, into: &names)
            collect(then, into: &names)
            if let otherwise { collect(otherwise, into: &names) }
        case .folded(let inner):
            collect(inner, into: &names)
        }
    }

    private static func collect(_ arguments: CallArguments, into names: inout Set<String>) {
        for value in arguments.positional { collect(value, into: &names) }
        for pair in arguments.keyword { collect(pair.value, into: &names) }
        if let spread = arguments.spreadPositional { collect(spread, into: &names) }
        if let spread = arguments.spreadKeyword { collect(spread, into: &names) }
    }
}
