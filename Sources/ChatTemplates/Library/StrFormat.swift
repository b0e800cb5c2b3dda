/// Python's `str.format`: `{}`, `{0}`, `{name}`, `{0.attr}`, `{0[key]}`, `!r`/`!s`, format specs.
enum StrFormat {
    static func format(_ template: String, _ arguments: Arguments) throws -> String {
        let chars = Array(template)
        var out = ""
        var index = 0
        var automatic = 0
        while index < chars.count {
            let character = chars[index]
            if character == "}" {
                guard index + 1 < chars.count, chars[index + 1] == "}" else {
                    throw EvalError.type("Single '}' encountered in format string")
                }
                out.append("}")
                index += 2
                continue
            }
            guard character == "{" else {
                out.append(character)
                index += 1
                continue
            }
            if index + 1 < chars.count, chars[index + 1] == "{" {
                out.append("{")
                index += 2
                continue
            }
            guard let close = chars[(index + 1)...].firstIndex(of: "}") else {
                throw EvalError.type("Single '{' encountered in format string")
            }
            let field = String(chars[(index + 1)..<close])
            if field.contains("{") { throw EvalError.type("nested format specifications are not supported") }
            out += try replacement(field, arguments, &automatic)
            index = close + 1
        }
        return out
    }

    private static func replacement(_ field: String, _ arguments: Arguments, _ automatic: inout Int) throws -> String {
        var name = field
        var spec = ""
        var conversion: Character?
        if let colon = name.firstIndex(of: ":") {
            spec = String(name[name.index(after: colon)...])
            name = String(name[..<colon])
        }
        if let bang = name.firstIndex(of: "!") {
            conversion = name[name.index(after: bang)...].first
            name = String(name[..<bang])
        }
        var head = name
        var accessors = ""
        if let split = name.firstIndex(where: { $0 == "." || $0 == "[" }) {
            head = String(name[..<split])
            accessors = String(name[split...])
        }
        var value: Value
        if head.isEmpty {
            guard automatic < arguments.positional.count else {
                throw EvalError.type("Replacement index \(automatic) out of range for positional args tuple")
            }
            value = arguments.positional[automatic]
            automatic += 1
        } else if let position = Int(head) {
            guard position < arguments.positional.count else {
                throw EvalError.type("Replacement index \(position) out of range for positional args tuple")
            }
            value = arguments.positional[position]
        } else {
            guard let found = arguments.keywordValue(head) else { throw EvalError.type("KeyError: '\(head)'") }
            value = found
        }
        var rest = Substring(accessors)
        while let first = rest.first {
            if first == "." {
                rest = rest.dropFirst()
                let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
                let attribute = String(rest[..<end])
                if attribute.hasPrefix("_") { throw EvalError(kind: .security, message: "access to attribute '\(attribute)' is unsafe.") }
                value = try Operations.attribute(of: value, attribute)
                rest = rest[end...]
            } else {
                rest = rest.dropFirst()
                guard let end = rest.firstIndex(of: "]") else { throw EvalError.type("Missing ']' in format string") }
                let key = String(rest[..<end])
                value = try Operations.item(of: value, Int(key).map(Value.int) ?? .string(key))
                rest = rest[rest.index(after: end)...]
            }
        }
        switch conversion {
        case "r": value = .string(try Python.repr(value))
        case "s": value = .string(try Python.str(value))
        case nil: break
        default: throw EvalError.type("Unknown conversion specifier \(conversion.map(String.init) ?? "")")
        }
        return try ValueFormatter.format(value, spec: spec)
    }
}
