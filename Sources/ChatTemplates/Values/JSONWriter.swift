/// Python's `json.dumps` as transformers' `tojson` filter calls it: `ensure_ascii=False`, optional
/// indent, separators and key sorting. Insertion order is kept unless `sortKeys` is set.
struct JSONWriter {
    var indent: String?
    var itemSeparator: String
    var keySeparator: String
    var sortKeys = false

    init(indent: String? = nil, separators: (item: String, key: String)? = nil, sortKeys: Bool = false) {
        self.indent = indent
        self.itemSeparator = separators?.item ?? (indent == nil ? ", " : ",")
        self.keySeparator = separators?.key ?? ": "
        self.sortKeys = sortKeys
    }

    func encode(_ value: Value) throws -> String {
        var out = ""
        try write(value, into: &out, level: 0)
        return out
    }

    private func newline(_ out: inout String, level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    private func write(_ value: Value, into out: inout String, level: Int) throws {
        switch value {
        case .none: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number): out += Self.float(number)
        case .string(let text), .markup(let text): Self.writeString(text, into: &out)
        case .list(let items), .tuple(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += itemSeparator }
                newline(&out, level: level + 1)
                try write(item, into: &out, level: level + 1)
            }
            newline(&out, level: level)
            out += "]"
        case .dict(let dict):
            guard !dict.isEmpty else { out += "{}"; return }
            var pairs = try dict.pairs.map { (key: try Self.key($0.key), value: $0.value) }
            if sortKeys {
                pairs.sort { Python.compareCodePoints($0.key, $1.key) == .less }
            }
            out += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out += itemSeparator }
                newline(&out, level: level + 1)
                Self.writeString(pair.key, into: &out)
                out += keySeparator
                try write(pair.value, into: &out, level: level + 1)
            }
            newline(&out, level: level)
            out += "}"
        case .namespace, .view, .generator, .callable, .loop, .undefined:
            throw EvalError.type("Object of type \(Python.typeName(value)) is not JSON serializable")
        }
    }

    /// Python converts scalar keys to strings; anything else is a TypeError.
    private static func key(_ key: Value) throws -> String {
        switch key {
        case .string(let text), .markup(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return float(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .none: return "null"
        default:
            throw EvalError.type("keys must be str, int, float, bool or None, not \(Python.typeName(key))")
        }
    }

    static func float(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return Python.formatFloat(number)
    }

    /// Escapes only what JSON requires; other characters, non-ASCII included, pass through.
    static func writeString(_ text: String, into out: inout String) {
        out += "\""
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": scalars.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": scalars.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": scalars.append(contentsOf: "\\n".unicodeScalars)
            case "\r": scalars.append(contentsOf: "\\r".unicodeScalars)
            case "\t": scalars.append(contentsOf: "\\t".unicodeScalars)
            case "\u{08}": scalars.append(contentsOf: "\\b".unicodeScalars)
            case "\u{0C}": scalars.append(contentsOf: "\\f".unicodeScalars)
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    scalars.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
                } else {
                    scalars.append(scalar)
                }
            }
        }
        out += String(scalars)
        out += "\""
    }
}
