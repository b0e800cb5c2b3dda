/// Jinja's builtin tests (`x is defined`, `x is string`...).
enum Tests {
    static let known: Set<String> = [
        "boolean", "callable", "defined", "divisibleby", "eq", "equalto", "==", "escaped", "even", "false", "filter",
        "float", "ge", ">=", "gt", ">", "greaterthan", "in", "integer", "iterable", "le", "<=", "lower", "lt", "<",
        "lessthan", "mapping", "ne", "!=", "none", "number", "odd", "sameas", "sequence", "string", "test", "true",
        "undefined", "upper",
    ]
}

extension Interpreter {
    func applyTest(_ name: String, to value: Value, _ arguments: Arguments) throws -> Bool {
        func other() throws -> Value {
            try ArgumentBinder(name, arguments, parameters: ["other"]).required("other")
        }
        func noArguments() throws {
            _ = try ArgumentBinder(name, arguments, parameters: [])
        }
        switch name {
        case "defined":
            try noArguments()
            if case .undefined = value { return false }
            return true
        case "undefined":
            try noArguments()
            if case .undefined = value { return true }
            return false
        case "none":
            try noArguments()
            if case .none = value { return true }
            return false
        case "boolean":
            try noArguments()
            if case .bool = value { return true }
            return false
        case "true":
            try noArguments()
            if case .bool(true) = value { return true }
            return false
        case "false":
            try noArguments()
            if case .bool(false) = value { return true }
            return false
        case "integer":
            try noArguments()
            if case .int = value { return true }
            return false
        case "float":
            try noArguments()
            if case .double = value { return true }
            return false
        case "number":
            try noArguments()
            return Python.numeric(value) != nil
        case "string":
            try noArguments()
            switch value {
            case .string, .markup: return true
            default: return false
            }
        case "mapping":
            try noArguments()
            if case .dict = value { return true }
            return false
        case "iterable":
            try noArguments()
            switch value {
            case .undefined, .string, .markup, .list, .tuple, .dict, .view, .generator, .loop: return true
            default: return false
            }
        case "sequence":
            try noArguments()
            switch value {
            case .undefined, .string, .markup, .list, .tuple, .dict: return true
            default: return false
            }
        case "callable":
            try noArguments()
            switch value {
            // Jinja's Undefined defines __call__ (to raise), so Python's callable() accepts it.
            case .callable, .undefined: return true
            case .loop(let loop): return loop.recurse != nil
            default: return false
            }
        case "escaped":
            try noArguments()
            if case .markup = value { return true }
            return false
        case "lower":
            try noArguments()
            return PyString.isLower(try Python.str(value))
        case "upper":
            try noArguments()
            return PyString.isUpper(try Python.str(value))
        case "odd", "even":
            try noArguments()
            // Jinja: value % 2 == 1 (odd) and value % 2 == 0 (even), with Python's float modulo.
            let remainder = try Operations.binary(.modulo, value, .int(2))
            return Python.equal(remainder, .int(name == "odd" ? 1 : 0))
        case "divisibleby":
            let divisor = try other()
            return Python.equal(try Operations.binary(.modulo, value, divisor), .int(0))
        case "eq", "equalto", "==": return Python.equal(value, try other())
        case "ne", "!=": return !Python.equal(value, try other())
        case "lt", "<", "lessthan": return try Operations.compare(.less, value, try other())
        case "le", "<=": return try Operations.compare(.lessOrEqual, value, try other())
        case "gt", ">", "greaterthan": return try Operations.compare(.greater, value, try other())
        case "ge", ">=": return try Operations.compare(.greaterOrEqual, value, try other())
        case "in": return try Operations.contains(try other(), value)
        case "sameas":
            let target = try other()
            switch (value, target) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.namespace(let a), .namespace(let b)): return a === b
            case (.callable(let a), .callable(let b)): return a === b
            default: return false
            }
        case "filter":
            return Filters.known.contains(try value.requireString("filter name"))
        case "test":
            return Tests.known.contains(try value.requireString("test name"))
        default:
            throw EvalError.type("No test named '\(name)'.")
        }
    }
}
