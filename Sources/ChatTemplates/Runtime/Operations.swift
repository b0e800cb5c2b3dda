import Foundation

/// Python operators and Jinja's attribute/item lookup on template values.
enum Operations {
    // MARK: iteration and size

    static func iterate(_ value: Value) throws -> [Value] {
        switch value {
        case .undefined: return []
        case .list(let items), .tuple(let items): return items
        case .string(let text), .markup(let text): return text.unicodeScalars.map { .string(String($0)) }
        case .dict(let dict): return dict.keys
        case .view(let view): return view.elements
        case .generator(let generator): return try generator.drain()
        case .loop(let loop): return loop.elements
        default: throw EvalError.type("'\(Python.typeName(value))' object is not iterable")
        }
    }

    static func length(_ value: Value) throws -> Int {
        switch value {
        case .undefined: return 0
        case .string(let text), .markup(let text): return PyString.length(text)
        case .list(let items), .tuple(let items): return items.count
        case .dict(let dict): return dict.count
        case .view(let view): return view.elements.count
        case .loop(let loop): return loop.elements.count
        default: throw EvalError.type("object of type '\(Python.typeName(value))' has no len()")
        }
    }

    // MARK: lookup

    private static func noAttribute(_ value: Value, _ name: String) -> Value {
        .undefined(Undefined(hint: "'\(Python.objectDescription(value))' has no attribute '\(name)'"))
    }

    /// `value.name`: Jinja tries the Python attribute first (so `dict.items` is the method), then
    /// the item.
    static func attribute(of value: Value, _ name: String) throws -> Value {
        if case .undefined(let undefined) = value { throw EvalError.undefined(undefined) }
        if let method = Methods.method(of: value, named: name) { return method }
        switch value {
        case .dict(let dict):
            return dict[name] ?? noAttribute(value, name)
        case .namespace(let namespace):
            return namespace.attributes[name] ?? noAttribute(value, name)
        case .loop(let loop):
            return loopAttribute(loop, name) ?? noAttribute(value, name)
        default:
            return noAttribute(value, name)
        }
    }

    private static func loopAttribute(_ loop: LoopContext, _ name: String) -> Value? {
        let length = loop.elements.count
        let index0 = loop.index0
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(loop.depth0 + 1)
        case "depth0": return .int(loop.depth0)
        case "previtem":
            return index0 > 0 ? loop.elements[index0 - 1] : .undefined(Undefined(hint: "there is no previous item"))
        case "nextitem":
            return index0 + 1 < length ? loop.elements[index0 + 1] : .undefined(Undefined(hint: "there is no next item"))
        case "cycle":
            return .callable(Callable(name: "cycle") { arguments in
                guard !arguments.positional.isEmpty else { throw EvalError.type("no items for cycling given") }
                return arguments.positional[index0 % arguments.positional.count]
            })
        case "changed":
            return .callable(Callable(name: "changed") { arguments in .bool(loop.changed(arguments.positional)) })
        default:
            return nil
        }
    }

    /// `value[key]`: Jinja tries the item first, then (for string keys) the attribute.
    static func item(of value: Value, _ key: Value) throws -> Value {
        if case .undefined(let undefined) = value { throw EvalError.undefined(undefined) }
        switch value {
        case .dict(let dict):
            if case .list = key { throw EvalError.type("unhashable type: 'list'") }
            if let found = dict[key] { return found }
        case .list(let items), .tuple(let items):
            if let index = integerIndex(key) {
                let resolved = index < 0 ? index + items.count : index
                if resolved >= 0 && resolved < items.count { return items[resolved] }
                return .undefined(Undefined(hint: "'\(Python.objectDescription(value))' has no element \(index)"))
            }
        case .string(let text), .markup(let text):
            if let index = integerIndex(key) {
                let scalars = PyString.scalars(text)
                let resolved = index < 0 ? index + scalars.count : index
                if resolved >= 0 && resolved < scalars.count { return .string(String(scalars[resolved])) }
                return .undefined(Undefined(hint: "'\(Python.objectDescription(value))' has no element \(index)"))
            }
        default:
            break
        }
        if case .string(let name) = key {
            return try attribute(of: value, name)
        }
        return .undefined(Undefined(
            hint: "'\(Python.objectDescription(value))' has no element \((try? Python.repr(key)) ?? "?")"))
    }

    private static func integerIndex(_ key: Value) -> Int? {
        switch key {
        case .int(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        default: return nil
        }
    }

    static func slice(_ value: Value, start: Value?, stop: Value?, step: Value?) throws -> Value {
        if case .undefined(let undefined) = value { throw EvalError.undefined(undefined) }
        func bound(_ part: Value?) throws -> Int? {
            guard let part else { return nil }
            if case .none = part { return nil }
            guard let index = integerIndex(part) else {
                throw EvalError.type("slice indices must be integers or None")
            }
            return index
        }
        let stepValue = try bound(step) ?? 1
        guard stepValue != 0 else { throw EvalError.type("slice step cannot be zero") }
        let startValue = try bound(start)
        let stopValue = try bound(stop)
        func pick<T>(_ items: [T]) -> [T] {
            let count = items.count
            func clamp(_ index: Int?, defaultValue: Int, low: Int, high: Int) -> Int {
                guard var index else { return defaultValue }
                if index < 0 { index += count }
                return min(max(index, low), high)
            }
            var result: [T] = []
            if stepValue > 0 {
                var index = clamp(startValue, defaultValue: 0, low: 0, high: count)
                let end = clamp(stopValue, defaultValue: count, low: 0, high: count)
                while index < end {
                    result.append(items[index])
                    index += stepValue
                }
            } else {
                var index = clamp(startValue, defaultValue: count - 1, low: -1, high: count - 1)
                let end = clamp(stopValue, defaultValue: -1, low: -1, high: count - 1)
                while index > end {
                    result.append(items[index])
                    index += stepValue
                }
            }
            return result
        }
        switch value {
        case .list(let items): return .list(pick(items))
        case .tuple(let items): return .tuple(pick(items))
        case .string(let text): return .string(PyString.make(pick(PyString.scalars(text))))
        case .markup(let text): return .markup(PyString.make(pick(PyString.scalars(text))))
        case .dict:
            // Jinja compiles slices to a plain Python subscript, so no undefined fallback here.
            throw EvalError.type("unhashable type: 'slice'")
        default:
            throw EvalError.type("'\(Python.typeName(value))' object is not subscriptable")
        }
    }

    static func call(_ function: Value, _ arguments: Arguments) throws -> Value {
        switch function {
        case .callable(let callable): return try callable.invoke(arguments)
        case .undefined(let undefined): throw EvalError.undefined(undefined)
        case .loop(let loop):
            guard let recurse = loop.recurse else {
                throw EvalError.type("Tried to call non recursive loop.  Maybe you forgot the 'recursive' modifier.")
            }
            guard arguments.positional.count == 1 else { throw EvalError.type("loop() takes exactly one argument") }
            return .string(try recurse(try iterate(arguments.positional[0])))
        default:
            throw EvalError.type("'\(Python.typeName(function))' object is not callable")
        }
    }

    // MARK: operators

    static func negate(_ value: Value) throws -> Value {
        switch value {
        case .undefined(let undefined): throw EvalError.undefined(undefined)
        case .int(let number):
            guard number != Int.min else { throw EvalError.type("integer overflow") }
            return .int(-number)
        case .bool(let flag): return .int(flag ? -1 : 0)
        case .double(let number): return .double(-number)
        default: throw EvalError.type("bad operand type for unary -: '\(Python.typeName(value))'")
        }
    }

    static func positive(_ value: Value) throws -> Value {
        switch value {
        case .undefined(let undefined): throw EvalError.undefined(undefined)
        case .int, .double: return value
        case .bool(let flag): return .int(flag ? 1 : 0)
        default: throw EvalError.type("bad operand type for unary +: '\(Python.typeName(value))'")
        }
    }

    /// markupsafe's escaping: & < > ' " become entities.
    static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&#39;"
            case "\"": out += "&#34;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func unsupported(_ symbol: String, _ left: Value, _ right: Value) -> EvalError {
        .type("unsupported operand type(s) for \(symbol): '\(Python.typeName(left))' and '\(Python.typeName(right))'")
    }

    static func binary(_ op: BinaryOperator, _ left: Value, _ right: Value) throws -> Value {
        if case .undefined(let undefined) = left { throw EvalError.undefined(undefined) }
        if op == .modulo {
            // `'%s' % undefined` formats the undefined value as "" instead of raising.
            switch left {
            case .string(let format): return .string(try PercentFormat.format(format, right))
            case .markup(let format): return .markup(try PercentFormat.format(format, right))
            default: break
            }
        }
        if case .undefined(let undefined) = right { throw EvalError.undefined(undefined) }
        switch op {
        case .add: return try add(left, right)
        case .subtract:
            return try arithmetic(left, right, "-", integer: { $0.subtractingReportingOverflow($1) }, real: { $0 - $1 })
        case .multiply: return try multiply(left, right)
        case .divide:
            guard let a = Python.numeric(left), let b = Python.numeric(right) else { throw unsupported("/", left, right) }
            guard b.asDouble != 0 else { throw EvalError.type("division by zero") }
            return .double(a.asDouble / b.asDouble)
        case .floorDivide: return try floorDivide(left, right)
        case .modulo: return try modulo(left, right)
        case .power: return try power(left, right)
        }
    }

    private static func arithmetic(_ left: Value, _ right: Value, _ symbol: String,
        integer: (Int, Int) -> (partialValue: Int, overflow: Bool), real: (Double, Double) -> Double) throws -> Value
    {
        guard let a = Python.numeric(left), let b = Python.numeric(right) else { throw unsupported(symbol, left, right) }
        if case .int(let x) = a, case .int(let y) = b {
            let result = integer(x, y)
            guard !result.overflow else { throw EvalError.type("integer overflow") }
            return .int(result.partialValue)
        }
        return .double(real(a.asDouble, b.asDouble))
    }

    private static func add(_ left: Value, _ right: Value) throws -> Value {
        switch (left, right) {
        case (.markup(let a), .string(let b)), (.markup(let a), .markup(let b)):
            if case .markup = right { return .markup(a + b) }
            return .markup(a + escapeHTML(b))
        case (.string(let a), .markup(let b)):
            return .markup(escapeHTML(a) + b)
        case (.string(let a), .string(let b)):
            return .string(a + b)
        case (.list(let a), .list(let b)):
            return .list(a + b)
        case (.tuple(let a), .tuple(let b)):
            return .tuple(a + b)
        case (.string, _), (.markup, _):
            throw EvalError.type("can only concatenate str (not \"\(Python.typeName(right))\") to str")
        case (.list, _):
            throw EvalError.type("can only concatenate list (not \"\(Python.typeName(right))\") to list")
        default:
            return try arithmetic(left, right, "+", integer: { $0.addingReportingOverflow($1) }, real: { $0 + $1 })
        }
    }

    private static func repeated<T>(_ items: [T], _ count: Int) -> [T] {
        guard count > 0 else { return [] }
        var result: [T] = []
        result.reserveCapacity(items.count * count)
        for _ in 0..<count { result.append(contentsOf: items) }
        return result
    }

    private static func multiply(_ left: Value, _ right: Value) throws -> Value {
        func count(_ value: Value) -> Int? {
            switch value {
            case .int(let number): return number
            case .bool(let flag): return flag ? 1 : 0
            default: return nil
            }
        }
        switch (left, right) {
        case (.string(let text), _) where count(right) != nil:
            return .string(String(repeating: text, count: max(0, count(right) ?? 0)))
        case (.markup(let text), _) where count(right) != nil:
            return .markup(String(repeating: text, count: max(0, count(right) ?? 0)))
        case (_, .markup(let text)) where count(left) != nil:
            return .markup(String(repeating: text, count: max(0, count(left) ?? 0)))
        case (_, .string(let text)) where count(left) != nil:
            return .string(String(repeating: text, count: max(0, count(left) ?? 0)))
        case (.list(let items), _) where count(right) != nil:
            return .list(repeated(items, count(right) ?? 0))
        case (_, .list(let items)) where count(left) != nil:
            return .list(repeated(items, count(left) ?? 0))
        case (.tuple(let items), _) where count(right) != nil:
            return .tuple(repeated(items, count(right) ?? 0))
        case (_, .tuple(let items)) where count(left) != nil:
            return .tuple(repeated(items, count(left) ?? 0))
        default:
            if let times = count(right), times > 1_000_000 { throw EvalError.type("repetition count too large") }
            return try arithmetic(left, right, "*", integer: { $0.multipliedReportingOverflow(by: $1) }, real: { $0 * $1 })
        }
    }

    private static func floorDivide(_ left: Value, _ right: Value) throws -> Value {
        guard let a = Python.numeric(left), let b = Python.numeric(right) else { throw unsupported("//", left, right) }
        if case .int(let x) = a, case .int(let y) = b {
            guard y != 0 else { throw EvalError.type("integer division or modulo by zero") }
            guard !(x == Int.min && y == -1) else { throw EvalError.type("integer overflow") }
            let quotient = x / y
            return .int((x % y != 0 && (x < 0) != (y < 0)) ? quotient - 1 : quotient)
        }
        guard b.asDouble != 0 else { throw EvalError.type("float floor division by zero") }
        return .double(pythonFloatDivMod(a.asDouble, b.asDouble).quotient)
    }

    /// CPython's `float_divmod`: the remainder takes the divisor's sign (zero included) and the
    /// quotient is corrected so that quotient * divisor + remainder == dividend.
    static func pythonFloatDivMod(_ x: Double, _ y: Double) -> (quotient: Double, remainder: Double) {
        var remainder = fmod(x, y)
        var division = (x - remainder) / y
        if remainder != 0 {
            if (y < 0) != (remainder < 0) {
                remainder += y
                division -= 1
            }
        } else {
            remainder = copysign(0, y)
        }
        var quotient: Double
        if division != 0 {
            quotient = division.rounded(.down)
            if division - quotient > 0.5 { quotient += 1 }
        } else {
            quotient = copysign(0, x / y)
        }
        return (quotient, remainder)
    }

    private static func modulo(_ left: Value, _ right: Value) throws -> Value {
        guard let a = Python.numeric(left), let b = Python.numeric(right) else { throw unsupported("%", left, right) }
        if case .int(let x) = a, case .int(let y) = b {
            guard y != 0 else { throw EvalError.type("integer division or modulo by zero") }
            guard !(x == Int.min && y == -1) else { return .int(0) }
            let remainder = x % y
            return .int((remainder != 0 && (remainder < 0) != (y < 0)) ? remainder + y : remainder)
        }
        guard b.asDouble != 0 else { throw EvalError.type("float modulo") }
        return .double(pythonFloatDivMod(a.asDouble, b.asDouble).remainder)
    }

    private static func power(_ left: Value, _ right: Value) throws -> Value {
        guard let a = Python.numeric(left), let b = Python.numeric(right) else { throw unsupported("** or pow()", left, right) }
        if case .int(let base) = a, case .int(let exponent) = b, exponent >= 0 {
            var result = 1
            var factor = base
            var remaining = exponent
            while remaining > 0 {
                if remaining & 1 == 1 {
                    let product = result.multipliedReportingOverflow(by: factor)
                    guard !product.overflow else { throw EvalError.type("integer overflow") }
                    result = product.partialValue
                }
                remaining >>= 1
                if remaining > 0 {
                    let square = factor.multipliedReportingOverflow(by: factor)
                    guard !square.overflow else { throw EvalError.type("integer overflow") }
                    factor = square.partialValue
                }
            }
            return .int(result)
        }
        if a.asDouble == 0 && b.asDouble < 0 {
            throw EvalError.type("0.0 cannot be raised to a negative power")
        }
        return .double(pow(a.asDouble, b.asDouble))
    }

    static func compare(_ op: CompareOperator, _ left: Value, _ right: Value) throws -> Bool {
        switch op {
        case .equal: return Python.equal(left, right)
        case .notEqual: return !Python.equal(left, right)
        case .less: return try Python.compare(left, right, operator: "<") == .less
        case .lessOrEqual: return try Python.compare(left, right, operator: "<=") != .greater
        case .greater: return try Python.compare(left, right, operator: ">") == .greater
        case .greaterOrEqual: return try Python.compare(left, right, operator: ">=") != .less
        case .isIn: return try contains(right, left)
        case .notIn: return try !contains(right, left)
        }
    }

    /// Python `item in container`.
    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .string(let text), .markup(let text):
            switch item {
            case .string(let needle), .markup(let needle): return PyString.contains(text, needle)
            case .undefined(let undefined): throw EvalError.undefined(undefined)
            default:
                throw EvalError.type("'in <string>' requires string as left operand, not \(Python.typeName(item))")
            }
        case .list(let items), .tuple(let items):
            return items.contains { Python.equal($0, item) }
        case .dict(let dict):
            try Python.requireHashable(item)
            return dict[item] != nil
        case .view(let view):
            return view.elements.contains { Python.equal($0, item) }
        case .generator(let generator):
            while let next = try generator.next() {
                if Python.equal(next, item) { return true }
            }
            return false
        case .undefined:
            return false
        default:
            throw EvalError.type("argument of type '\(Python.typeName(container))' is not iterable")
        }
    }
}
