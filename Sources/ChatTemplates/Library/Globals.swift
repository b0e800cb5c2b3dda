import Foundation

/// Functions every template can call: Jinja's `range`, `dict`, `namespace`, `joiner`, and
/// transformers' `raise_exception` and `strftime_now`.
enum Globals {
    /// The sandbox refuses larger ranges.
    static let maximumRange = 100_000

    static func make(_ interpreter: Interpreter) -> [String: Value] {
        let clock = interpreter.clock
        return [
            "range": .callable(Callable(name: "range", invoke: range)),
            "dict": .callable(Callable(name: "dict", invoke: dict)),
            "namespace": .callable(Callable(name: "namespace", invoke: namespace)),
            "joiner": .callable(Callable(name: "joiner", invoke: joiner)),
            "raise_exception": .callable(Callable(name: "raise_exception") { arguments in
                let message = try arguments.positional.first.map { try Python.str($0) } ?? ""
                throw EvalError(kind: .raised, message: message)
            }),
            "strftime_now": .callable(Callable(name: "strftime_now") { arguments in
                let binder = try ArgumentBinder("strftime_now", arguments, parameters: ["format"])
                let format = try binder.required("format").requireString("strftime_now() format")
                return .string(Strftime.format(format, date: clock()))
            }),
        ]
    }

    private static func range(_ arguments: Arguments) throws -> Value {
        guard arguments.keyword.isEmpty else { throw EvalError.type("range() takes no keyword arguments") }
        let bounds = try arguments.positional.map { value -> Int in
            switch value {
            case .int(let number): return number
            case .bool(let flag): return flag ? 1 : 0
            default:
                throw EvalError.type("'\(Python.typeName(value))' object cannot be interpreted as an integer")
            }
        }
        let start: Int, stop: Int, step: Int
        switch bounds.count {
        case 1: (start, stop, step) = (0, bounds[0], 1)
        case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
        case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
        default: throw EvalError.type("range expected at most 3 arguments, got \(bounds.count)")
        }
        guard step != 0 else { throw EvalError.type("range() arg 3 must not be zero") }
        let span = step > 0 ? Double(stop) - Double(start) : Double(start) - Double(stop)
        let count = span <= 0 ? 0 : Int((span / Double(abs(step))).rounded(.up))
        guard count <= maximumRange else {
            throw EvalError(kind: .security,
                message: "Range too big. The sandbox blocks ranges larger than MAX_RANGE (\(maximumRange)).")
        }
        return .list((0..<count).map { .int(start + $0 * step) })
    }

    private static func dict(_ arguments: Arguments) throws -> Value {
        guard arguments.positional.count <= 1 else {
            throw EvalError.type("dict expected at most 1 argument, got \(arguments.positional.count)")
        }
        var result = Dict()
        if let source = arguments.positional.first {
            if case .dict(let existing) = source {
                result = existing
            } else {
                for pair in try Operations.iterate(source) {
                    let parts = try Operations.iterate(pair)
                    guard parts.count == 2 else {
                        throw EvalError.type("dictionary update sequence element has length \(parts.count); 2 is required")
                    }
                    try Python.requireHashable(parts[0])
                    result.set(parts[0], parts[1])
                }
            }
        }
        for (key, value) in arguments.keyword { result.set(key, value) }
        return .dict(result)
    }

    /// transformers' namespace refuses underscore-prefixed attribute names.
    static func checkNamespaceName(_ name: String) throws {
        if name.hasPrefix("_") {
            throw EvalError(kind: .security, message:
                "Chat templates cannot store underscore-prefixed attributes on a namespace, but got '\(name)'. Please rename the attribute.")
        }
    }

    private static func namespace(_ arguments: Arguments) throws -> Value {
        guard case .dict(let attributes) = try dict(arguments) else { return .none }
        for key in attributes.keys {
            if case .string(let name) = key { try checkNamespaceName(name) }
        }
        return .namespace(Namespace(attributes: attributes))
    }

    private static func joiner(_ arguments: Arguments) throws -> Value {
        let binder = try ArgumentBinder("joiner", arguments, parameters: ["sep"])
        let separator = try Python.str(binder.value("sep") ?? .string(", "))
        let state = Namespace(attributes: Dict())
        return .callable(Callable(name: "joiner") { _ in
            if state.attributes["used"] == nil {
                state.attributes.set("used", .bool(true))
                return .string("")
            }
            return .string(separator)
        })
    }
}
