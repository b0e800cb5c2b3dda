import Foundation

/// Python's `int(str, base)` and `float(str)` parsing.
enum PythonNumbers {
    static func parseInt(_ text: String, base: Int) -> Int? {
        var body = PyString.strip(text, nil, leading: true, trailing: true)
        var negative = false
        if body.hasPrefix("-") || body.hasPrefix("+") {
            negative = body.hasPrefix("-")
            body.removeFirst()
        }
        var radix = base
        let lower = body.lowercased()
        for (prefix, prefixBase) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            if base == prefixBase || base == 0 {
                radix = prefixBase
                body = String(body.dropFirst(2))
                if body.hasPrefix("_") { body.removeFirst() }
            }
        }
        if radix == 0 { radix = 10 }
        guard (2...36).contains(radix), !body.isEmpty, !body.hasPrefix("_"), !body.hasSuffix("_"),
            !body.contains("__")
        else { return nil }
        let digits = body.replacingOccurrences(of: "_", with: "")
        guard digits.allSatisfy({ $0.isASCII }), let magnitude = Int(digits, radix: radix) else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func parseFloat(_ text: String) -> Double? {
        let body = PyString.strip(text, nil, leading: true, trailing: true).lowercased()
        switch body {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        guard !body.isEmpty, !body.hasPrefix("_"), !body.hasSuffix("_"), !body.contains("__") else { return nil }
        let cleaned = body.replacingOccurrences(of: "_", with: "")
        guard cleaned.allSatisfy({ "0123456789.e+-".contains($0) }), cleaned.contains(where: { $0.isNumber }) else {
            return nil
        }
        return Double(cleaned)
    }
}
