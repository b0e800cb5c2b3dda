import Foundation

/// A parsed format specification: `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var alternate = false
    var zeroPad = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    init(_ spec: String) throws {
        var chars = Array(spec)
        var index = 0
        func isAlign(_ c: Character) -> Bool { "<>^=".contains(c) }
        if chars.count >= 2, isAlign(chars[1]) {
            fill = chars[0]
            align = chars[1]
            index = 2
        } else if let first = chars.first, isAlign(first) {
            align = first
            index = 1
        }
        if index < chars.count, "+- ".contains(chars[index]) {
            sign = chars[index]
            index += 1
        }
        if index < chars.count, chars[index] == "#" {
            alternate = true
            index += 1
        }
        if index < chars.count, chars[index] == "0" {
            zeroPad = true
            index += 1
        }
        var digits = ""
        while index < chars.count, chars[index].isASCII, chars[index].isNumber {
            digits.append(chars[index])
            index += 1
        }
        width = Int(digits) ?? 0
        if index < chars.count, chars[index] == "," || chars[index] == "_" {
            grouping = chars[index]
            index += 1
        }
        if index < chars.count, chars[index] == "." {
            index += 1
            var precisionDigits = ""
            while index < chars.count, chars[index].isASCII, chars[index].isNumber {
                precisionDigits.append(chars[index])
                index += 1
            }
            guard let value = Int(precisionDigits) else { throw EvalError.type("Format specifier missing precision") }
            precision = value
        }
        if index < chars.count {
            type = chars[index]
            index += 1
        }
        guard index == chars.count else { throw EvalError.type("Invalid format specifier '\(spec)'") }
        chars = []
    }

    func pad(_ body: String, numeric: Bool, negative: Bool = false) -> String {
        var signText = ""
        if numeric {
            if negative { signText = "-" } else if sign == "+" { signText = "+" } else if sign == " " { signText = " " }
        }
        let length = PyString.length(body) + signText.count
        guard width > length else { return signText + body }
        let padding = width - length
        let alignment = align ?? (zeroPad && numeric ? "=" : (numeric ? ">" : "<"))
        let fillText = zeroPad && align == nil ? "0" : String(fill)
        switch alignment {
        case "<": return signText + body + String(repeating: fillText, count: padding)
        case "^":
            let left = padding / 2
            return String(repeating: fillText, count: left) + signText + body
                + String(repeating: fillText, count: padding - left)
        case "=": return signText + String(repeating: fillText, count: padding) + body
        default: return String(repeating: fillText, count: padding) + signText + body
        }
    }

    static func group(_ digits: String, _ separator: Character?) -> String {
        guard let separator else { return digits }
        var out: [Character] = []
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 { out.append(separator) }
            out.append(character)
        }
        return String(out.reversed())
    }
}

/// Number and string rendering shared by `str.format` and `%` formatting.
enum ValueFormatter {
    static func format(_ value: Value, spec text: String) throws -> String {
        if text.isEmpty { return try Python.str(value) }
        let spec = try FormatSpec(text)
        switch value {
        case .string(let string), .markup(let string):
            guard spec.type == nil || spec.type == "s" else {
                throw EvalError.type("Unknown format code '\(spec.type ?? "?")' for object of type 'str'")
            }
            var body = string
            if let precision = spec.precision { body = PyString.make(PyString.scalars(string).prefix(precision)) }
            return spec.pad(body, numeric: false)
        case .int, .bool:
            guard let number = Python.numeric(value), case .int(let integer) = number else { return try Python.str(value) }
            if let type = spec.type, "eEfFgG%".contains(type) {
                return try formatDouble(Double(integer), spec)
            }
            return try formatInteger(integer, spec)
        case .double(let number):
            return try formatDouble(number, spec)
        default:
            throw EvalError.type("unsupported format string passed to \(Python.typeName(value)).__format__")
        }
    }

    static func formatInteger(_ number: Int, _ spec: FormatSpec) throws -> String {
        let magnitude = number.magnitude
        var body: String
        switch spec.type {
        case nil, "d", "n": body = FormatSpec.group(String(magnitude), spec.grouping)
        case "x": body = (spec.alternate ? "0x" : "") + String(magnitude, radix: 16)
        case "X": body = (spec.alternate ? "0X" : "") + String(magnitude, radix: 16).uppercased()
        case "o": body = (spec.alternate ? "0o" : "") + String(magnitude, radix: 8)
        case "b": body = (spec.alternate ? "0b" : "") + String(magnitude, radix: 2)
        case "c":
            guard let scalar = Unicode.Scalar(UInt32(clamping: number)) else { throw EvalError.type("%c arg not in range") }
            return spec.pad(String(scalar), numeric: false)
        default: throw EvalError.type("Unknown format code '\(spec.type ?? "?")' for object of type 'int'")
        }
        if spec.type == nil || spec.type == "d" { body = FormatSpec.group(String(magnitude), spec.grouping) }
        return spec.pad(body, numeric: true, negative: number < 0)
    }

    static func formatDouble(_ number: Double, _ spec: FormatSpec) throws -> String {
        let negative = number.sign == .minus && !number.isNaN
        let magnitude = Swift.abs(number)
        var body: String
        if magnitude.isNaN || magnitude.isInfinite {
            body = magnitude.isNaN ? "nan" : "inf"
            if let type = spec.type, type.isUppercase { body = body.uppercased() }
            return spec.pad(body, numeric: true, negative: negative)
        }
        switch spec.type {
        case "f", "F":
            body = String(format: "%.\(spec.precision ?? 6)f", magnitude)
        case "e", "E":
            body = String(format: "%.\(spec.precision ?? 6)\(spec.type == "e" ? "e" : "E")", magnitude)
        case "g", "G":
            body = String(format: "%.\(spec.precision ?? 6)\(spec.type == "g" ? "g" : "G")", magnitude)
        case "%":
            body = String(format: "%.\(spec.precision ?? 6)f", magnitude * 100) + "%"
        case nil:
            if let precision = spec.precision {
                body = String(format: "%.\(max(precision, 1))g", magnitude)
            } else {
                body = Python.formatFloat(magnitude)
            }
        default:
            throw EvalError.type("Unknown format code '\(spec.type ?? "?")' for object of type 'float'")
        }
        if let grouping = spec.grouping {
            let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            if let integerPart = parts.first, integerPart.allSatisfy({ $0.isNumber }) {
                body = FormatSpec.group(String(integerPart), grouping) + (parts.count > 1 ? "." + parts[1] : "")
            }
        }
        return spec.pad(body, numeric: true, negative: negative)
    }
}
