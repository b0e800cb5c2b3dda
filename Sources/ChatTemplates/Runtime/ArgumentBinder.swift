/// Binds call arguments to a Python-style parameter list, failing like Python on surplus or
/// unknown arguments.
struct ArgumentBinder {
    let function: String
    let parameters: [String]
    private var values: [Value?]

    init(_ function: String, _ arguments: Arguments, parameters: [String]) throws {
        self.function = function
        self.parameters = parameters
        var values = [Value?](repeating: nil, count: parameters.count)
        guard arguments.positional.count <= parameters.count else {
            throw EvalError.type(
                "\(function)() takes at most \(parameters.count) argument(s) (\(arguments.positional.count) given)")
        }
        for (index, value) in arguments.positional.enumerated() { values[index] = value }
        for (name, value) in arguments.keyword {
            guard let index = parameters.firstIndex(of: name) else {
                throw EvalError.type("\(function)() got an unexpected keyword argument '\(name)'")
            }
            guard values[index] == nil else {
                throw EvalError.type("\(function)() got multiple values for argument '\(name)'")
            }
            values[index] = value
        }
        self.values = values
    }

    func value(_ name: String) -> Value? {
        guard let index = parameters.firstIndex(of: name) else { return nil }
        return values[index]
    }

    func required(_ name: String) throws -> Value {
        guard let value = value(name) else {
            throw EvalError.type("\(function)() missing required argument: '\(name)'")
        }
        return value
    }

    func string(_ name: String, default defaultValue: String? = nil) throws -> String? {
        guard let value = value(name) else { return defaultValue }
        switch value {
        case .string(let text), .markup(let text): return text
        case .none: return defaultValue
        default: throw EvalError.type("\(function)() argument '\(name)' must be str, not \(Python.typeName(value))")
        }
    }

    func int(_ name: String, default defaultValue: Int? = nil) throws -> Int? {
        guard let value = value(name) else { return defaultValue }
        switch value {
        case .int(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .none: return defaultValue
        default:
            throw EvalError.type("\(function)() argument '\(name)' must be an integer, not \(Python.typeName(value))")
        }
    }

    func bool(_ name: String, default defaultValue: Bool) -> Bool {
        guard let value = value(name) else { return defaultValue }
        return Python.truthy(value)
    }
}

extension Value {
    /// The text of a `str` (or `Markup`), as Python methods require.
    func requireString(_ what: String) throws -> String {
        switch self {
        case .string(let text), .markup(let text): return text
        case .undefined(let undefined): throw EvalError.undefined(undefined)
        default: throw EvalError.type("\(what) must be str, not \(Python.typeName(self))")
        }
    }
}
