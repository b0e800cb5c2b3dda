/// Python object semantics for template values: truthiness, `str`, `repr`, equality, ordering.
enum Python {
    static func typeName(_ value: Value) -> String {
        switch value {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .markup: return "Markup"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .view(let view): return view.kind.rawValue
        case .generator: return "generator"
        case .namespace: return "Namespace"
        case .callable: return "function"
        case .loop: return "LoopContext"
        }
    }

    /// How Jinja names an object in "'x object' has no attribute" messages.
    static func objectDescription(_ value: Value) -> String {
        if case .none = value { return "None" }
        return "\(typeName(value)) object"
    }

    static func truthy(_ value: Value) -> Bool {
        switch value {
        case .undefined, .none: return false
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .double(let number): return number != 0
        case .string(let text), .markup(let text): return !text.isEmpty
        case .list(let items), .tuple(let items): return !items.isEmpty
        case .dict(let dict): return !dict.isEmpty
        case .view(let view): return !view.elements.isEmpty
        case .generator, .namespace, .callable, .loop: return true
        }
    }

    /// `str(value)`, which is what `{{ value }}` prints.
    static func str(_ value: Value) throws -> String {
        switch value {
        case .undefined: return ""
        case .string(let text), .markup(let text): return text
        default: return try repr(value)
        }
    }

    static func repr(_ value: Value) throws -> String {
        switch value {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .double(let number): return formatFloat(number)
        case .string(let text): return reprString(text)
        case .markup(let text): return "Markup(\(reprString(text)))"
        case .list(let items): return "[" + (try items.map(repr).joined(separator: ", ")) + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + (try repr(items[0])) + ",)" }
            return "(" + (try items.map(repr).joined(separator: ", ")) + ")"
        case .dict(let dict): return try reprDict(dict)
        case .view(let view): return view.kind.rawValue + "([" + (try view.elements.map(repr).joined(separator: ", ")) + "])"
        case .namespace(let namespace): return "<Namespace " + (try reprDict(namespace.attributes)) + ">"
        case .generator(let generator):
            // Python prints a memory address, which no two runs share; this one is a placeholder.
            return "<generator object \(generator.name) at 0x7f0000000000>"
        case .callable(let callable):
            return callable.isMacro ? "<Macro '\(callable.name)'>" : "<function \(callable.name) at 0x7f0000000000>"
        case .loop(let loop):
            return "<LoopContext \(loop.index0 + 1)/\(loop.elements.count)>"
        }
    }

    private static func reprDict(_ dict: Dict) throws -> String {
        var parts: [String] = []
        for (key, item) in dict.pairs {
            parts.append(try repr(key) + ": " + repr(item))
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Python's `repr(str)`: single quotes unless the text has a single quote and no double quote;
    /// non-printable characters escaped.
    static func reprString(_ text: String) -> String {
        let useDouble = text.unicodeScalars.contains("'") && !text.unicodeScalars.contains("\"")
        let quote: Unicode.Scalar = useDouble ? "\"" : "'"
        var out = String.UnicodeScalarView()
        out.append(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case quote: out.append("\\"); out.append(quote)
            default:
                if isPrintable(scalar) {
                    out.append(scalar)
                } else {
                    out.append(contentsOf: escapeCodePoint(scalar.value).unicodeScalars)
                }
            }
        }
        out.append(quote)
        return String(out)
    }

    private static func escapeCodePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        if value < 0x100 { return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex }
        if value < 0x10000 { return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
        return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Python's `str.isprintable` for one character.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
            .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    /// Python's `repr(float)`: the shortest digits that round-trip, positional notation for
    /// exponents -4...16 and scientific outside, always with a fractional part or exponent.
    static func formatFloat(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        let (negative, digits, pointPosition) = shortestDigits(number)
        let sign = negative ? "-" : ""
        if pointPosition > 16 || pointPosition < -3 {
            let exponent = pointPosition - 1
            var mantissa = String(digits.first ?? "0")
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let exponentText = String(abs(exponent))
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + (exponentText.count < 2 ? "0" : "") + exponentText
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// The shortest round-trip decimal digits of a finite double and where the decimal point
    /// goes: value = 0.DIGITS * 10^pointPosition. Swift's `description` already prints the
    /// shortest round-trip digits; only its layout differs from Python's.
    static func shortestDigits(_ number: Double) -> (negative: Bool, digits: String, pointPosition: Int) {
        var text = number.description
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        if digits == "0" { pointPosition = 1 }
        return (negative, digits, pointPosition)
    }

    /// Python `==`. Numbers compare across int, float and bool; containers element-wise;
    /// undefined equals only undefined.
    static func equal(_ lhs: Value, _ rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)), (.string(let a), .markup(let b)),
            (.markup(let a), .string(let b)), (.markup(let a), .markup(let b)):
            return a.utf8.elementsEqual(b.utf8)
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.dict(let a), .dict(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a.pairs {
                guard let other = b[key], equal(value, other) else { return false }
            }
            return true
        case (.namespace(let a), .namespace(let b)): return a === b
        case (.callable(let a), .callable(let b)): return a === b
        case (.loop(let a), .loop(let b)): return a === b
        case (.generator(let a), .generator(let b)): return a === b
        default:
            if let a = numeric(lhs), let b = numeric(rhs) { return a == b }
            return false
        }
    }

    enum Number: Equatable, Comparable {
        case int(Int)
        case double(Double)

        var asDouble: Double {
            switch self {
            case .int(let value): return Double(value)
            case .double(let value): return value
            }
        }

        static func == (lhs: Number, rhs: Number) -> Bool {
            if case .int(let a) = lhs, case .int(let b) = rhs { return a == b }
            return lhs.asDouble == rhs.asDouble
        }

        static func < (lhs: Number, rhs: Number) -> Bool {
            if case .int(let a) = lhs, case .int(let b) = rhs { return a < b }
            return lhs.asDouble < rhs.asDouble
        }
    }

    /// Bools are ints in Python.
    static func numeric(_ value: Value) -> Number? {
        switch value {
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .bool(let flag): return .int(flag ? 1 : 0)
        default: return nil
        }
    }

    enum Ordering { case less, equal, greater }

    /// Python ordering for `<`, `sorted`, `min`, `max`; mixed kinds are a TypeError.
    static func compare(_ lhs: Value, _ rhs: Value, operator symbol: String) throws -> Ordering {
        if case .undefined(let undefined) = lhs { throw EvalError.undefined(undefined) }
        if case .undefined(let undefined) = rhs { throw EvalError.undefined(undefined) }
        if let a = numeric(lhs), let b = numeric(rhs) {
            return a < b ? .less : (a == b ? .equal : .greater)
        }
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)), (.string(let a), .markup(let b)),
            (.markup(let a), .string(let b)), (.markup(let a), .markup(let b)):
            return compareCodePoints(a, b)
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            for (x, y) in zip(a, b) where !equal(x, y) {
                return try compare(x, y, operator: symbol)
            }
            return a.count < b.count ? .less : (a.count == b.count ? .equal : .greater)
        default:
            throw EvalError.type(
                "'\(symbol)' not supported between instances of '\(typeName(lhs))' and '\(typeName(rhs))'")
        }
    }

    /// Python orders strings by code point, not by Unicode canonical equivalence.
    static func compareCodePoints(_ a: String, _ b: String) -> Ordering {
        var left = a.unicodeScalars.makeIterator()
        var right = b.unicodeScalars.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return .equal
            case (nil, _): return .less
            case (_, nil): return .greater
            case (let x?, let y?):
                if x.value != y.value { return x.value < y.value ? .less : .greater }
            }
        }
    }

    /// Python dict keys and set members must be hashable.
    static func requireHashable(_ value: Value) throws {
        switch value {
        case .list, .dict, .view, .namespace:
            throw EvalError.type("unhashable type: '\(typeName(value))'")
        case .tuple(let items):
            for item in items { try requireHashable(item) }
        default:
            break
        }
    }
}
