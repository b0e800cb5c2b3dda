import Foundation

/// Python's printf-style `format % values`, used by the `%` operator and the `format` filter.
enum PercentFormat {
    static func format(_ template: String, _ values: Value) throws -> String {
        var positional: [Value]
        var mapping: Dict?
        // Python treats any subscriptable non-tuple argument as a mapping: surplus is no error.
        var subscriptable = false
        switch values {
        case .tuple(let items): positional = items
        case .dict(let dict):
            positional = [values]
            mapping = dict
            subscriptable = true
        case .list, .undefined:
            positional = [values]
            subscriptable = true
        default: positional = [values]
        }
        let chars = Array(template)
        var out = ""
        var index = 0
        var next = 0
        func take() throws -> Value {
            guard next < positional.count else { throw EvalError.type("not enough arguments for format string") }
            defer { next += 1 }
            return positional[next]
        }
        while index < chars.count {
            guard chars[index] == "%" else {
                out.append(chars[index])
                index += 1
                continue
            }
            index += 1
            guard index < chars.count else { throw EvalError.type("incomplete format") }
            var value: Value?
            if chars[index] == "(" {
                guard let close = chars[index...].firstIndex(of: ")") else { throw EvalError.type("incomplete format key") }
                let key = String(chars[(index + 1)..<close])
                guard let mapping else { throw EvalError.type("format requires a mapping") }
                guard let found = mapping[key] else { throw EvalError.type("KeyError: '\(key)'") }
                value = found
                index = close + 1
            }
            var flags = ""
            while index < chars.count, "-+ #0".contains(chars[index]) {
                flags.append(chars[index])
                index += 1
            }
            var width = ""
            while index < chars.count, chars[index].isASCII, chars[index].isNumber {
                width.append(chars[index])
                index += 1
            }
            var precision: String?
            if index < chars.count, chars[index] == "." {
                index += 1
                var digits = ""
                while index < chars.count, chars[index].isASCII, chars[index].isNumber {
                    digits.append(chars[index])
                    index += 1
                }
                precision = digits.isEmpty ? "0" : digits
            }
            guard index < chars.count else { throw EvalError.type("incomplete format") }
            let type = chars[index]
            index += 1
            if type == "%" {
                out.append("%")
                continue
            }
            let argument = try value ?? take()
            let numeric = type != "s" && type != "r" && type != "a"
            // printf right-aligns by default; `-` left-aligns and `0` pads numbers with zeros.
            var spec = flags.contains("-") ? "<" : (flags.contains("0") && numeric ? "0=" : ">")
            if flags.contains("+") { spec += "+" } else if flags.contains(" ") { spec += " " }
            if flags.contains("#") { spec += "#" }
            spec += width
            if let precision { spec += "." + precision }
            switch type {
            case "s":
                out += try ValueFormatter.format(.string(try Python.str(argument)), spec: spec)
            case "r", "a":
                out += try ValueFormatter.format(.string(try Python.repr(argument)), spec: spec)
            case "d", "i", "u":
                guard let number = Python.numeric(argument) else {
                    throw EvalError.type("%\(type) format: a real number is required, not \(Python.typeName(argument))")
                }
                let integer: Int
                switch number {
                case .int(let value): integer = value
                case .double(let value): integer = Int(value.rounded(.towardZero))
                }
                out += try ValueFormatter.format(.int(integer), spec: spec.replacingOccurrences(of: ".", with: "") + "d")
            case "f", "F", "e", "E", "g", "G", "x", "X", "o", "c":
                guard let number = Python.numeric(argument) else {
                    throw EvalError.type("must be real number, not \(Python.typeName(argument))")
                }
                let numericValue: Value
                switch number {
                case .int(let value): numericValue = .int(value)
                case .double(let value): numericValue = .double(value)
                }
                out += try ValueFormatter.format(numericValue, spec: spec + String(type))
            default:
                throw EvalError.type("unsupported format character '\(type)'")
            }
        }
        if !subscriptable && next < positional.count {
            throw EvalError.type("not all arguments converted during string formatting")
        }
        return out
    }
}
