/// Jinja rejects unknown filters and tests when compiling, not when rendering.
enum NameValidator {
    static func validate(_ nodes: [Node]) throws {
        for node in nodes { try validate(node) }
    }

    private static func validate(_ node: Node) throws {
        switch node {
        case .text, .breakLoop, .continueLoop: return
        case .output(let expr): try validate(expr)
        case .conditional(let branches, let otherwise):
            for branch in branches {
                try validate(branch.test)
                try validate(branch.body)
            }
            try validate(otherwise)
        case .forLoop(let loop):
            try validate(loop.iterable)
            if let condition = loop.condition { try validate(condition) }
            try validate(loop.body)
            try validate(loop.otherwise)
        case .assign(_, let expr, _): try validate(expr)
        case .assignBlock(_, let filter, let body, _):
            if let filter { try validate(filter) }
            try validate(body)
        case .macro(let macro):
            for parameter in macro.parameters { if let value = parameter.defaultValue { try validate(value) } }
            try validate(macro.body)
        case .callBlock(let caller, let call, _):
            try validate(caller.body)
            try validate(call)
        case .filterBlock(let filter, let body, _):
            try validate(filter)
            try validate(body)
        case .with(let bindings, let body):
            for binding in bindings { try validate(binding.value) }
            try validate(body)
        case .generation(let body): try validate(body)
        }
    }

    private static func validate(_ expr: Expr) throws {
        switch expr {
        case .filter(_, let name, _, let at) where !Filters.known.contains(name):
            throw TemplateError.syntax(line: at.line, column: at.column, message: "No filter named '\(name)'.")
        case .test(_, let name, _, let at) where !Tests.known.contains(name):
            throw TemplateError.syntax(line: at.line, column: at.column, message: "No test named '\(name)'.")
        default:
            break
        }
        switch expr {
        case .literal, .name: break
        case .list(let items, _), .tuple(let items, _), .concat(let items, _):
            for item in items { try validate(item) }
        case .dict(let pairs, _):
            for pair in pairs {
                try validate(pair.key)
                try validate(pair.value)
            }
        case .attribute(let base, _, _), .not(let base, _), .negate(let base, _), .plus(let base, _):
            try validate(base)
        case .item(let base, let index, _):
            try validate(base)
            try validate(index)
        case .slice(let start, let stop, let step, _):
            for part in [start, stop, step] { if let part { try validate(part) } }
        case .call(let callee, let arguments, _):
            try validate(callee)
            try validate(arguments)
        case .filter(let base, _, let arguments, _):
            if let base { try validate(base) }
            try validate(arguments)
        case .test(let base, _, let arguments, _):
            try validate(base)
            try validate(arguments)
        case .binary(_, let left, let right, _), .and(let left, let right, _), .or(let left, let right, _):
            try validate(left)
            try validate(right)
        case .compare(let first, let operations, _):
            try validate(first)
            for operation in operations { try validate(operation.operand) }
        case .conditional(let test, let then, let otherwise, _):
            try validate(test)
            try validate(then)
            if let otherwise { try validate(otherwise) }
        case .folded(let inner):
            try validate(inner)
        }
    }

    private static func validate(_ arguments: CallArguments) throws {
        for value in arguments.positional { try validate(value) }
        for pair in arguments.keyword { try validate(pair.value) }
        if let spread = arguments.spreadPositional { try validate(spread) }
        if let spread = arguments.spreadKeyword { try validate(spread) }
    }
}
