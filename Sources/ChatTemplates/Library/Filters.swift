import Foundation

/// Jinja's builtin filters, with transformers' `tojson` override.
enum Filters {
    static let implemented: Set<String> = [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
        "first", "float", "forceescape", "format", "indent", "int", "items", "join", "last", "length", "list",
        "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select",
        "selectattr", "slice", "sort", "string", "sum", "title", "tojson", "trim", "truncate", "unique", "upper",
        "wordcount",
    ]
    /// Jinja filters that exist but that chat templates have no use for; using one is a runtime
    /// error rather than a silent approximation.
    static let unsupported: Set<String> = [
        "filesizeformat", "groupby", "pprint", "random", "striptags", "urlencode", "urlize", "wordwrap", "xmlattr",
    ]
    static var known: Set<String> { implemented.union(unsupported) }
}

extension Interpreter {
    func applyFilter(_ name: String, to value: Value, _ arguments: Arguments) throws -> Value {
        func bind(_ parameters: [String]) throws -> ArgumentBinder {
            try ArgumentBinder(name, arguments, parameters: parameters)
        }
        switch name {
        case "abs":
            _ = try bind([])
            switch value {
            case .int(let number):
                guard number != Int.min else { throw EvalError.type("integer overflow") }
                return .int(Swift.abs(number))
            case .bool(let flag): return .int(flag ? 1 : 0)
            case .double(let number): return .double(Swift.abs(number))
            case .undefined(let undefined): throw EvalError.undefined(undefined)
            default: throw EvalError.type("bad operand type for abs(): '\(Python.typeName(value))'")
            }
        case "attr":
            let binder = try bind(["name"])
            let attribute = try binder.required("name").requireString("attr() name")
            if case .undefined(let undefined) = value { throw EvalError.undefined(undefined) }
            if let method = Methods.method(of: value, named: attribute) { return method }
            if case .namespace(let namespace) = value, let found = namespace.attributes[attribute] { return found }
            return .undefined(Undefined(hint: "'\(Python.objectDescription(value))' has no attribute '\(attribute)'"))
        case "batch":
            let binder = try bind(["linecount", "fill_with"])
            let size = try binder.int("linecount") ?? 0
            guard size > 0 else { throw EvalError.type("batch size must be positive") }
            let fill = binder.value("fill_with") ?? .none
            return .generator(Generator(name: "do_batch") {
                var batches: [Value] = []
                var current: [Value] = []
                for item in try Operations.iterate(value) {
                    if current.count == size {
                        batches.append(.list(current))
                        current = []
                    }
                    current.append(item)
                }
                if !current.isEmpty {
                    if case .none = fill {} else {
                        while current.count < size { current.append(fill) }
                    }
                    batches.append(.list(current))
                }
                return batches
            })
        case "capitalize":
            _ = try bind([])
            return preserving(value, PyString.capitalize(try softString(value)))
        case "center":
            let binder = try bind(["width"])
            return .string(PyString.center(try softString(value), width: try binder.int("width", default: 80) ?? 80))
        case "count", "length":
            _ = try bind([])
            return .int(try Operations.length(value))
        case "d", "default":
            let binder = try bind(["default_value", "boolean"])
            let fallback = binder.value("default_value") ?? .string("")
            if case .undefined = value { return fallback }
            if binder.bool("boolean", default: false) && !Python.truthy(value) { return fallback }
            return value
        case "dictsort":
            let binder = try bind(["case_sensitive", "by", "reverse"])
            guard case .dict(let dict) = value else {
                if case .undefined(let undefined) = value { throw EvalError.undefined(undefined) }
                throw EvalError.type("'\(Python.typeName(value))' object has no attribute 'items'")
            }
            let by = try binder.string("by", default: "key") ?? "key"
            guard by == "key" || by == "value" else {
                throw EvalError.type("You can only sort by either \"key\" or \"value\"")
            }
            let caseSensitive = binder.bool("case_sensitive", default: false)
            let pairs = dict.pairs.map { Value.tuple([$0.key, $0.value]) }
            let sorted = try stableSorted(pairs, reverse: binder.bool("reverse", default: false)) { item in
                guard case .tuple(let parts) = item else { return item }
                let key = parts[by == "key" ? 0 : 1]
                return caseSensitive ? key : ignoringCase(key)
            }
            return .list(sorted)
        case "e", "escape":
            _ = try bind([])
            if case .markup = value { return value }
            return .markup(Operations.escapeHTML(try Python.str(value)))
        case "forceescape":
            _ = try bind([])
            return .markup(Operations.escapeHTML(try Python.str(value)))
        case "first":
            _ = try bind([])
            if case .generator(let generator) = value {
                return try generator.next() ?? .undefined(Undefined(hint: "No first item, sequence was empty."))
            }
            return try Operations.iterate(value).first ?? .undefined(Undefined(hint: "No first item, sequence was empty."))
        case "last":
            _ = try bind([])
            switch value {
            case .generator: throw EvalError.type("'generator' object is not reversible")
            default:
                return try Operations.iterate(value).last ?? .undefined(Undefined(hint: "No last item, sequence was empty."))
            }
        case "float":
            let binder = try bind(["default"])
            return try toFloat(value) ?? binder.value("default") ?? .double(0)
        case "format":
            let text = try softString(value)
            if !arguments.positional.isEmpty && !arguments.keyword.isEmpty {
                throw EvalError.type("can't handle positional and keyword arguments at the same time")
            }
            if !arguments.keyword.isEmpty {
                var dict = Dict()
                for (key, item) in arguments.keyword { dict.set(key, item) }
                return .string(try PercentFormat.format(text, .dict(dict)))
            }
            return .string(try PercentFormat.format(text, .tuple(arguments.positional)))
        case "indent":
            let binder = try bind(["width", "first", "blank"])
            return try indent(value, binder)
        case "int":
            let binder = try bind(["default", "base"])
            return try toInt(value, base: try binder.int("base", default: 10) ?? 10) ?? binder.value("default") ?? .int(0)
        case "items":
            _ = try bind([])
            return .generator(Generator(name: "do_items") {
                switch value {
                case .undefined: return []
                case .dict(let dict): return dict.pairs.map { .tuple([$0.key, $0.value]) }
                default: throw EvalError.type("Can only get item pairs from a mapping.")
                }
            })
        case "join":
            let binder = try bind(["d", "attribute"])
            let separator = try Python.str(binder.value("d") ?? .string(""))
            var items = try Operations.iterate(value)
            if let attribute = binder.value("attribute") {
                let getter = attributeGetter(attribute)
                items = try items.map(getter)
            }
            return .string(try items.map { try Python.str($0) }.joined(separator: separator))
        case "list":
            _ = try bind([])
            return .list(try Operations.iterate(value))
        case "lower":
            _ = try bind([])
            return preserving(value, PyString.lower(try softString(value)))
        case "upper":
            _ = try bind([])
            return preserving(value, PyString.upper(try softString(value)))
        case "title":
            _ = try bind([])
            return preserving(value, PyString.jinjaTitle(try softString(value)))
        case "map":
            return .generator(Generator(name: "do_map") { [self] in try mapFilter(value, arguments) })
        case "select", "reject", "selectattr", "rejectattr":
            return .generator(Generator(name: "select_or_reject") { [self] in
                try selectFilter(value, arguments, keep: name.hasPrefix("select"), byAttribute: name.hasSuffix("attr"))
            })
        case "max", "min":
            let binder = try bind(["case_sensitive", "attribute"])
            let items = try Operations.iterate(value)
            guard !items.isEmpty else {
                return .undefined(Undefined(hint: "No aggregated item, sequence was empty."))
            }
            let key = keyFunction(binder)
            var best = items[0]
            var bestKey = try key(best)
            for item in items.dropFirst() {
                let itemKey = try key(item)
                let ordering = try Python.compare(itemKey, bestKey, operator: name == "max" ? ">" : "<")
                if (name == "max" && ordering == .greater) || (name == "min" && ordering == .less) {
                    best = item
                    bestKey = itemKey
                }
            }
            return best
        case "replace":
            let binder = try bind(["old", "new", "count"])
            let old = try Python.str(try binder.required("old"))
            let new = try Python.str(try binder.required("new"))
            let count = try binder.int("count", default: -1) ?? -1
            return .string(PyString.replace(try Python.str(value), old, new, count: count))
        case "reverse":
            _ = try bind([])
            switch value {
            case .string(let text): return .string(PyString.make(text.unicodeScalars.reversed()))
            case .markup(let text): return .markup(PyString.make(text.unicodeScalars.reversed()))
            case .undefined: return .generator(Generator(name: "reversed") { [] })
            case .generator(let generator):
                // Python cannot reverse a generator lazily; Jinja falls back to a reversed list.
                return .list(try generator.drain().reversed())
            case .list, .tuple, .dict, .view:
                let items = try Operations.iterate(value)
                return .generator(Generator(name: "reversed") { items.reversed() })
            default:
                throw EvalError.type("argument must be iterable")
            }
        case "round":
            let binder = try bind(["precision", "method"])
            return try round(value, precision: try binder.int("precision", default: 0) ?? 0,
                method: try binder.string("method", default: "common") ?? "common")
        case "safe":
            _ = try bind([])
            if case .markup = value { return value }
            return .markup(try Python.str(value))
        case "slice":
            let binder = try bind(["slices", "fill_with"])
            return .generator(Generator(name: "sync_do_slice") { [self] in
                try sliceFilter(try Operations.iterate(value), slices: try binder.int("slices") ?? 0, fill: binder.value("fill_with"))
            })
        case "sort":
            let binder = try bind(["reverse", "case_sensitive", "attribute"])
            let key = keyFunction(binder)
            return .list(try stableSorted(try Operations.iterate(value), reverse: binder.bool("reverse", default: false), key: key))
        case "string":
            _ = try bind([])
            switch value {
            case .string, .markup: return value
            default: return .string(try Python.str(value))
            }
        case "sum":
            let binder = try bind(["attribute", "start"])
            var total = binder.value("start") ?? .int(0)
            let getter: (Value) throws -> Value = binder.value("attribute").map { attributeGetter($0) } ?? { $0 }
            for item in try Operations.iterate(value) {
                total = try Operations.binary(.add, total, try getter(item))
            }
            return total
        case "tojson":
            let binder = try bind(["ensure_ascii", "indent", "separators", "sort_keys"])
            return .string(try toJSON(value, binder))
        case "trim":
            let binder = try bind(["chars"])
            let characters = try binder.string("chars")
            return preserving(value, PyString.strip(try softString(value), characters, leading: true, trailing: true))
        case "truncate":
            let binder = try bind(["length", "killwords", "end", "leeway"])
            switch value {
            case .string(let text): return .string(try truncate(text, binder))
            case .markup(let text): return .markup(try truncate(text, binder))
            default:
                // Jinja measures the value with len() before touching it as a string.
                let length = try Operations.length(value)
                guard length <= (try binder.int("length", default: 255) ?? 255) + (try binder.int("leeway", default: 5) ?? 5)
                else { throw EvalError.type("can only truncate strings") }
                return value
            }
        case "unique":
            let binder = try bind(["case_sensitive", "attribute"])
            return .generator(Generator(name: "sync_do_unique") { [self] in
                let caseSensitive = binder.bool("case_sensitive", default: false)
                let getter = attributeGetter(binder.value("attribute"), ignoreCase: !caseSensitive)
                var seen: [Value] = []
                var kept: [Value] = []
                for item in try Operations.iterate(value) {
                    let key = try getter(item)
                    try Python.requireHashable(key)
                    if !seen.contains(where: { Python.equal($0, key) }) {
                        seen.append(key)
                        kept.append(item)
                    }
                }
                return kept
            })
        case "wordcount":
            _ = try bind([])
            return .int(wordCount(try softString(value)))
        default:
            throw EvalError.type("the '\(name)' filter is not supported by this renderer")
        }
    }

    // MARK: helpers

    /// Jinja's `soft_str`: strings stay as they are, everything else goes through `str()`.
    private func softString(_ value: Value) throws -> String {
        switch value {
        case .string(let text), .markup(let text): return text
        default: return try Python.str(value)
        }
    }

    /// String filters keep the `Markup` type of their input.
    private func preserving(_ input: Value, _ result: String) -> Value {
        if case .markup = input { return .markup(result) }
        return .string(result)
    }

    private func ignoringCase(_ value: Value) -> Value {
        switch value {
        case .string(let text): return .string(PyString.lower(text))
        case .markup(let text): return .markup(PyString.lower(text))
        default: return value
        }
    }

    /// Jinja's `make_attrgetter`: dotted paths, integer parts index, missing parts give `default`.
    func attributeGetter(_ attribute: Value?, defaultValue: Value? = nil, ignoreCase: Bool = false)
        -> (Value) throws -> Value
    {
        var parts: [Value] = []
        switch attribute {
        case .string(let path)?, .markup(let path)?:
            parts = path.split(separator: ".", omittingEmptySubsequences: false).map { part in
                part.allSatisfy({ $0.isASCII && $0.isNumber }) && !part.isEmpty ? .int(Int(part) ?? 0) : .string(String(part))
            }
        case .int(let index)?:
            parts = [.int(index)]
        default:
            parts = []
        }
        return { [self] item in
            var current = item
            for part in parts {
                current = try Operations.item(of: current, part)
            }
            if let defaultValue, case .undefined = current { current = defaultValue }
            return ignoreCase ? self.ignoringCase(current) : current
        }
    }

    private func keyFunction(_ binder: ArgumentBinder) -> (Value) throws -> Value {
        let caseSensitive = binder.bool("case_sensitive", default: false)
        guard case .string(let attribute)? = binder.value("attribute"), attribute.contains(",") else {
            return attributeGetter(binder.value("attribute"), ignoreCase: !caseSensitive)
        }
        let getters = attribute.split(separator: ",").map {
            attributeGetter(.string(String($0)), ignoreCase: !caseSensitive)
        }
        return { item in .list(try getters.map { try $0(item) }) }
    }

    /// Python's `sorted`: stable, and `reverse` keeps equal items in their original order.
    func stableSorted(_ items: [Value], reverse: Bool, key: (Value) throws -> Value) throws -> [Value] {
        let keyed = try items.enumerated().map { (offset: $0.offset, key: try key($0.element), item: $0.element) }
        let sorted = try keyed.sorted { a, b in
            let ordering = try Python.compare(a.key, b.key, operator: "<")
            if ordering == .equal { return a.offset < b.offset }
            return reverse ? ordering == .greater : ordering == .less
        }
        return sorted.map(\.item)
    }

    private func mapFilter(_ value: Value, _ arguments: Arguments) throws -> [Value] {
        guard Python.truthy(value) else { return [] }
        let items = try Operations.iterate(value)
        if arguments.positional.isEmpty, let attribute = arguments.keywordValue("attribute") {
            for (key, _) in arguments.keyword where key != "attribute" && key != "default" {
                throw EvalError.type("Unexpected keyword argument '\(key)'")
            }
            let getter = attributeGetter(attribute, defaultValue: arguments.keywordValue("default"))
            return try items.map(getter)
        }
        guard let first = arguments.positional.first else { throw EvalError.type("map requires a filter argument") }
        let filterName = try first.requireString("map filter name")
        guard Filters.known.contains(filterName) else { throw EvalError.type("No filter named '\(filterName)'.") }
        var rest = arguments
        rest.positional.removeFirst()
        return try items.map { try applyFilter(filterName, to: $0, rest) }
    }

    private func selectFilter(_ value: Value, _ arguments: Arguments, keep: Bool, byAttribute: Bool) throws -> [Value] {
        guard Python.truthy(value) else { return [] }
        var rest = arguments
        var transform: (Value) throws -> Value = { $0 }
        if byAttribute {
            guard let attribute = rest.positional.first else { throw EvalError.type("Missing parameter for attribute name") }
            rest.positional.removeFirst()
            transform = attributeGetter(attribute)
        }
        var testName: String?
        if let first = rest.positional.first {
            testName = try first.requireString("test name")
            rest.positional.removeFirst()
        }
        if let testName, !Tests.known.contains(testName) { throw EvalError.type("No test named '\(testName)'.") }
        return try Operations.iterate(value).filter { item in
            let probe = try transform(item)
            let passed = try testName.map { try applyTest($0, to: probe, rest) } ?? Python.truthy(probe)
            return passed == keep
        }
    }

    private func sliceFilter(_ items: [Value], slices: Int, fill: Value?) throws -> [Value] {
        guard slices > 0 else { throw EvalError.type("slices must be positive") }
        let perSlice = items.count / slices
        let withExtra = items.count % slices
        var offset = 0
        var result: [Value] = []
        for index in 0..<slices {
            let start = offset + index * perSlice
            if index < withExtra { offset += 1 }
            let end = offset + (index + 1) * perSlice
            var part = Array(items[start..<end])
            if let fill, index >= withExtra { part.append(fill) }
            result.append(.list(part))
        }
        return result
    }

    private func indent(_ value: Value, _ binder: ArgumentBinder) throws -> Value {
        let indentation: String
        switch binder.value("width") {
        case .string(let text)?, .markup(let text)?: indentation = text
        case nil: indentation = "    "
        default: indentation = String(repeating: " ", count: max(0, try binder.int("width") ?? 4))
        }
        // Jinja appends "\n" to the value itself, so only strings are accepted.
        let text: String
        switch value {
        case .string(let string), .markup(let string): text = string + "\n"
        case .undefined(let undefined): throw EvalError.undefined(undefined)
        default: throw EvalError.type("unsupported operand type(s) for +=: '\(Python.typeName(value))' and 'str'")
        }
        var lines = PyString.splitLines(text)
        var result: String
        if binder.bool("blank", default: false) {
            result = lines.joined(separator: "\n" + indentation)
        } else {
            result = lines.isEmpty ? "" : lines.removeFirst()
            if !lines.isEmpty {
                result += "\n" + lines.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
            }
        }
        if binder.bool("first", default: false) { result = indentation + result }
        return preserving(value, result)
    }

    private func toJSON(_ value: Value, _ binder: ArgumentBinder) throws -> String {
        var indent: String?
        switch binder.value("indent") {
        case nil, .none?: indent = nil
        case .string(let text)?: indent = text
        case .int(let width)?: indent = String(repeating: " ", count: max(0, width))
        case let other?: throw EvalError.type("indent must be an integer or a string, not \(Python.typeName(other))")
        }
        var separators: (item: String, key: String)?
        if let given = binder.value("separators"), case let .tuple(parts) = given, parts.count == 2 {
            separators = (try parts[0].requireString("separator"), try parts[1].requireString("separator"))
        } else if let given = binder.value("separators"), case let .list(parts) = given, parts.count == 2 {
            separators = (try parts[0].requireString("separator"), try parts[1].requireString("separator"))
        }
        let writer = JSONWriter(indent: indent, separators: separators, sortKeys: binder.bool("sort_keys", default: false))
        let json = try writer.encode(value)
        guard binder.bool("ensure_ascii", default: false) else { return json }
        var escaped = ""
        for scalar in json.unicodeScalars {
            if scalar.isASCII {
                escaped.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return escaped
    }

    private func round(_ value: Value, precision: Int, method: String) throws -> Value {
        guard ["common", "ceil", "floor"].contains(method) else {
            throw EvalError.type("method must be common, ceil or floor")
        }
        guard let number = Python.numeric(value) else {
            if case .undefined(let undefined) = value { throw EvalError.undefined(undefined) }
            throw EvalError.type("type \(Python.typeName(value)) doesn't define __round__ method")
        }
        if method == "common" {
            if case .int(let integer) = number {
                // Python rounds ints to ints, half to even.
                guard precision < 0 else { return .int(integer) }
                let scale = pow(10.0, Double(-precision))
                return .int(Int((Double(integer) / scale).rounded(.toNearestOrEven) * scale))
            }
            let x = number.asDouble
            guard x.isFinite else { return .double(x) }
            if precision >= 0 {
                return .double(Double(String(format: "%.\(min(precision, 300))f", x)) ?? x)
            }
            let scale = pow(10.0, Double(-precision))
            return .double((x / scale).rounded(.toNearestOrEven) * scale)
        }
        let scale = pow(10.0, Double(precision))
        let scaled = number.asDouble * scale
        return .double((method == "ceil" ? scaled.rounded(.up) : scaled.rounded(.down)) / scale)
    }

    private func truncate(_ text: String, _ binder: ArgumentBinder) throws -> String {
        let length = try binder.int("length", default: 255) ?? 255
        let killWords = binder.bool("killwords", default: false)
        let end = try binder.string("end", default: "...") ?? "..."
        let leeway = try binder.int("leeway", default: 5) ?? 5
        let endLength = PyString.length(end)
        guard length >= endLength else { throw EvalError.type("expected length >= \(endLength), got \(length)") }
        guard leeway >= 0 else { throw EvalError.type("expected leeway >= 0, got \(leeway)") }
        let scalars = PyString.scalars(text)
        if scalars.count <= length + leeway { return text }
        let head = PyString.make(scalars.prefix(length - endLength))
        if killWords { return head + end }
        let parts = try PyString.rsplit(head, separator: " ", maxSplit: 1)
        return (parts.first ?? head) + end
    }

    private func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let isWord = scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWord && !inWord { count += 1 }
            inWord = isWord
        }
        return count
    }

    /// Jinja's `int` filter: Python `int()`, then `int(float())`, else nil for the default.
    private func toInt(_ value: Value, base: Int) throws -> Value? {
        switch value {
        case .undefined(let undefined): throw EvalError.undefined(undefined)
        case .int: return value
        case .bool(let flag): return .int(flag ? 1 : 0)
        case .double(let number):
            guard number.isFinite, let integer = Int(exactly: number.rounded(.towardZero)) else { return nil }
            return .int(integer)
        case .string(let text), .markup(let text):
            if let parsed = PythonNumbers.parseInt(text, base: base) { return .int(parsed) }
            if let parsed = PythonNumbers.parseFloat(text), parsed.isFinite,
                let integer = Int(exactly: parsed.rounded(.towardZero))
            {
                return .int(integer)
            }
            return nil
        default:
            return nil
        }
    }

    private func toFloat(_ value: Value) throws -> Value? {
        switch value {
        case .undefined(let undefined): throw EvalError.undefined(undefined)
        case .double: return value
        case .int(let number): return .double(Double(number))
        case .bool(let flag): return .double(flag ? 1 : 0)
        case .string(let text), .markup(let text): return PythonNumbers.parseFloat(text).map(Value.double)
        default: return nil
        }
    }
}
