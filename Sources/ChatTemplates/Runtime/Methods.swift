/// Python methods templates call on strings, dicts and lists. The immutable sandbox hides the
/// mutating ones: looking them up gives an undefined value that raises a security error when used.
enum Methods {
    private static let unsafeDictMethods: Set<String> = ["pop", "popitem", "setdefault", "update", "clear"]
    private static let unsafeListMethods: Set<String> = [
        "append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear",
    ]

    static func method(of value: Value, named name: String) -> Value? {
        switch value {
        case .string(let text): return stringMethod(text, name, markup: false)
        case .markup(let text): return stringMethod(text, name, markup: true)
        case .dict(let dict): return dictMethod(dict, name)
        case .list(let items):
            if unsafeListMethods.contains(name) { return unsafe(name, "list") }
            return sequenceMethod(items, name, isList: true)
        case .tuple(let items):
            return sequenceMethod(items, name, isList: false)
        default:
            return nil
        }
    }

    private static func unsafe(_ name: String, _ type: String) -> Value {
        .undefined(Undefined(hint: "access to attribute '\(name)' of '\(type)' object is unsafe.", isUnsafe: true))
    }

    private static func bound(_ name: String, _ body: @escaping (Arguments) throws -> Value) -> Value {
        .callable(Callable(name: name, invoke: body))
    }

    // MARK: dict

    private static func dictMethod(_ dict: Dict, _ name: String) -> Value? {
        if unsafeDictMethods.contains(name) { return unsafe(name, "dict") }
        switch name {
        case "get":
            return bound(name) { arguments in
                let binder = try ArgumentBinder("get", arguments, parameters: ["key", "default"])
                let key = try binder.required("key")
                try Python.requireHashable(key)
                return dict[key] ?? binder.value("default") ?? .none
            }
        case "items":
            return bound(name) { _ in .view(DictView(kind: .items, elements: dict.pairs.map { .tuple([$0.key, $0.value]) })) }
        case "keys":
            return bound(name) { _ in .view(DictView(kind: .keys, elements: dict.keys)) }
        case "values":
            return bound(name) { _ in .view(DictView(kind: .values, elements: dict.values)) }
        case "copy":
            return bound(name) { _ in .dict(dict) }
        default:
            return nil
        }
    }

    // MARK: list and tuple

    private static func sequenceMethod(_ items: [Value], _ name: String, isList: Bool) -> Value? {
        switch name {
        case "index":
            return bound(name) { arguments in
                let binder = try ArgumentBinder("index", arguments, parameters: ["value"])
                let target = try binder.required("value")
                guard let found = items.firstIndex(where: { Python.equal($0, target) }) else {
                    throw EvalError.type("\(try Python.repr(target)) is not in \(isList ? "list" : "tuple")")
                }
                return .int(found)
            }
        case "count":
            return bound(name) { arguments in
                let binder = try ArgumentBinder("count", arguments, parameters: ["value"])
                let target = try binder.required("value")
                return .int(items.filter { Python.equal($0, target) }.count)
            }
        case "copy" where isList:
            return bound(name) { _ in .list(items) }
        default:
            return nil
        }
    }

    // MARK: str

    private static func stringMethod(_ text: String, _ name: String, markup: Bool) -> Value? {
        func wrap(_ result: String) -> Value { markup ? .markup(result) : .string(result) }
        switch name {
        case "strip", "lstrip", "rstrip":
            return bound(name) { arguments in
                let binder = try ArgumentBinder(name, arguments, parameters: ["chars"])
                let characters = try binder.string("chars")
                return wrap(PyString.strip(text, characters, leading: name != "rstrip", trailing: name != "lstrip"))
            }
        case "split", "rsplit":
            return bound(name) { arguments in
                let binder = try ArgumentBinder(name, arguments, parameters: ["sep", "maxsplit"])
                let maxSplit = try binder.int("maxsplit", default: -1) ?? -1
                let parts: [String]
                if let separator = try binder.string("sep") {
                    parts = name == "split"
                        ? try PyString.split(text, separator: separator, maxSplit: maxSplit)
                        : try PyString.rsplit(text, separator: separator, maxSplit: maxSplit)
                } else if name == "split" || maxSplit < 0 {
                    parts = PyString.splitWhitespace(text, maxSplit: maxSplit)
                } else {
                    let reversed = PyString.splitWhitespace(PyString.make(text.unicodeScalars.reversed()), maxSplit: maxSplit)
                    parts = reversed.reversed().map { PyString.make($0.unicodeScalars.reversed()) }
                }
                return .list(parts.map(wrap))
            }
        case "splitlines":
            return bound(name) { arguments in
                let binder = try ArgumentBinder(name, arguments, parameters: ["keepends"])
                return .list(PyString.splitLines(text, keepEnds: binder.bool("keepends", default: false)).map(wrap))
            }
        case "startswith", "endswith":
            return bound(name) { arguments in
                let binder = try ArgumentBinder(name, arguments, parameters: ["prefix", "start", "end"])
                var subject = text
                if binder.value("start") != nil || binder.value("end") != nil {
                    let slice = try Operations.slice(
                        .string(text), start: binder.value("start"), stop: binder.value("end"), step: nil)
                    subject = try slice.requireString("slice")
                }
                let candidates: [Value]
                switch try binder.required("prefix") {
                case .tuple(let items): candidates = items
                case let single: candidates = [single]
                }
                for candidate in candidates {
                    let affix = try candidate.requireString("\(name) argument")
                    if name == "startswith" ? PyString.startsWith(subject, affix) : PyString.endsWith(subject, affix) {
                        return .bool(true)
                    }
                }
                return .bool(false)
            }
        case "replace":
            return bound(name) { arguments in
                let binder = try ArgumentBinder(name, arguments, parameters: ["old", "new", "count"])
                let old = try binder.required("old").requireString("replace() argument 1")
                let new = try binder.required("new").requireString("replace() argument 2")
                let count = try binder.int("count", default: -1) ?? -1
                return wrap(PyString.replace(text, old, markup ? Operations.escapeHTML(new) : new, count: count))
            }
        case "upper": return bound(name) { _ in wrap(PyString.upper(text)) }
        case "lower": return bound(name) { _ in wrap(PyString.lower(text)) }
        case "title": return bound(name) { _ in wrap(PyString.title(text)) }
        case "capitalize": return bound(name) { _ in wrap(PyString.capitalize(text)) }
        case "format":
            return bound(name) { arguments in wrap(try StrFormat.format(text, arguments)) }
        case "join":
            return bound(name) { arguments in
                let binder = try ArgumentBinder(name, arguments, parameters: ["iterable"])
                let parts = try Operations.iterate(try binder.required("iterable")).map {
                    try $0.requireString("sequence item")
                }
                return wrap(parts.joined(separator: text))
            }
        case "find", "rfind", "index", "rindex", "count":
            return bound(name) { arguments in
                let binder = try ArgumentBinder(name, arguments, parameters: ["sub"])
                let needle = try binder.required("sub").requireString("\(name) argument")
                if name == "count" { return .int(PyString.count(text, needle)) }
                let found = name.hasPrefix("r") ? PyString.rfindIndex(text, needle) : PyString.findIndex(text, needle)
                if found < 0 && name.hasSuffix("index") { throw EvalError.type("substring not found") }
                return .int(found)
            }
        case "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower":
            return bound(name) { _ in .bool(classify(text, name)) }
        case "center", "ljust", "rjust":
            return bound(name) { arguments in
                let binder = try ArgumentBinder(name, arguments, parameters: ["width", "fillchar"])
                let width = try binder.int("width") ?? 0
                let fill = try binder.string("fillchar", default: " ") ?? " "
                guard fill.unicodeScalars.count == 1, let fillScalar = fill.unicodeScalars.first else {
                    throw EvalError.type("The fill character must be exactly one character long")
                }
                let padding = max(0, width - PyString.length(text))
                switch name {
                case "ljust": return wrap(text + String(repeating: fill, count: padding))
                case "rjust": return wrap(String(repeating: fill, count: padding) + text)
                default: return wrap(PyString.center(text, width: width, fill: fillScalar))
                }
            }
        default:
            return nil
        }
    }

    private static func classify(_ text: String, _ name: String) -> Bool {
        guard !text.isEmpty else { return false }
        switch name {
        case "isupper": return PyString.isUpper(text)
        case "islower": return PyString.isLower(text)
        default: break
        }
        return text.unicodeScalars.allSatisfy { scalar in
            let properties = scalar.properties
            let isDigit = properties.numericType == .decimal || properties.numericType == .digit
            let isAlpha = properties.isAlphabetic && [
                .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            ].contains(properties.generalCategory)
            switch name {
            case "isdigit": return isDigit
            case "isalpha": return isAlpha
            case "isalnum": return isAlpha || isDigit || properties.numericType != nil
            default: return PyString.isSpace(scalar)
            }
        }
    }
}
