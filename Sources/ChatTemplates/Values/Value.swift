/// A value while a template runs: the Python objects Jinja would see, reduced to what chat
/// templates can reach.
enum Value {
    /// A missing name, attribute or item. Rendering it gives "", most other uses raise `hint`.
    case undefined(Undefined)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// A string marked safe (`|safe`, `|escape`): adding a plain string to it HTML-escapes that
    /// string, as markupsafe's `Markup` does even with autoescaping off.
    case markup(String)
    case list([Value])
    case tuple([Value])
    case dict(Dict)
    /// `dict.items()`, `.keys()`, `.values()`: sized and re-iterable, printed as `dict_items([...])`.
    case view(DictView)
    /// The lazy result of `map`, `select`, `reject`, `selectattr`, `rejectattr`, `unique`,
    /// `reverse`, `items`, `batch`: always truthy, iterable once, no length.
    case generator(Generator)
    case namespace(Namespace)
    case callable(Callable)
    case loop(LoopContext)
}

/// Why a value is undefined; the message Jinja raises when the value is used.
struct Undefined {
    let hint: String
    /// Set for attributes the immutable sandbox refuses (`list.append`...): using the value raises
    /// a security error instead of an undefined error.
    var isUnsafe = false

    static func name(_ name: String) -> Undefined { Undefined(hint: "'\(name)' is undefined") }
}

struct DictView {
    enum Kind: String { case items = "dict_items", keys = "dict_keys", values = "dict_values" }
    let kind: Kind
    let elements: [Value]
}

final class Generator {
    let name: String
    /// Jinja's generator filters run nothing until first iterated, so their errors wait too.
    private var produce: (() throws -> [Value])?
    private var elements: [Value] = []
    private var position = 0

    init(name: String, produce: @escaping () throws -> [Value]) {
        self.name = name
        self.produce = produce
    }

    private func start() throws {
        guard let produce else { return }
        self.produce = nil
        elements = try produce()
    }

    /// Drains what is left: a generator yields each element once.
    func drain() throws -> [Value] {
        try start()
        defer { position = elements.count }
        return Array(elements[position...])
    }

    func next() throws -> Value? {
        try start()
        guard position < elements.count else { return nil }
        defer { position += 1 }
        return elements[position]
    }
}

/// `namespace(...)`: the one mutable object templates may assign attributes on.
final class Namespace {
    var attributes: Dict
    init(attributes: Dict) { self.attributes = attributes }
}

/// Positional and keyword arguments of a call, in source order.
struct Arguments {
    var positional: [Value] = []
    var keyword: [(name: String, value: Value)] = []

    func keywordValue(_ name: String) -> Value? {
        keyword.last { $0.name == name }?.value
    }
}

/// Builtin functions, bound methods and macros.
final class Callable {
    let name: String
    let isMacro: Bool
    let invoke: (Arguments) throws -> Value

    init(name: String, isMacro: Bool = false, invoke: @escaping (Arguments) throws -> Value) {
        self.name = name
        self.isMacro = isMacro
        self.invoke = invoke
    }
}

/// The `loop` variable inside a for loop.
final class LoopContext {
    let elements: [Value]
    var index0 = 0
    let depth0: Int
    private var lastChangedArguments: [Value]?
    /// Set for `recursive` loops: renders the loop body again over the given items.
    var recurse: (([Value]) throws -> String)?

    init(elements: [Value], depth0: Int) {
        self.elements = elements
        self.depth0 = depth0
    }

    /// `loop.changed(*values)`: true the first time and whenever the values differ from last call.
    func changed(_ values: [Value]) -> Bool {
        defer { lastChangedArguments = values }
        guard let last = lastChangedArguments else { return true }
        return !Python.equal(.list(last), .list(values))
    }
}

/// An insertion-ordered Python dict. String keys are indexed; other keys (ints, tuples of
/// scalars...) are compared with Python equality, which is rare enough to scan for.
struct Dict {
    private(set) var keys: [Value] = []
    private(set) var values: [Value] = []
    private var stringIndex: [CodePointKey: Int] = [:]

    init() {}

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    func index(of key: Value) -> Int? {
        switch key {
        case .string(let text), .markup(let text):
            return stringIndex[CodePointKey(text)]
        default:
            return keys.firstIndex { existing in
                switch existing {
                case .string, .markup: return false
                default: return Python.equal(existing, key)
                }
            }
        }
    }

    subscript(key: Value) -> Value? {
        index(of: key).map { values[$0] }
    }

    subscript(key: String) -> Value? {
        stringIndex[CodePointKey(key)].map { values[$0] }
    }

    /// Inserts or replaces; a replaced key keeps its position, like a Python dict.
    mutating func set(_ key: Value, _ value: Value) {
        if let existing = index(of: key) {
            values[existing] = value
            return
        }
        switch key {
        case .string(let text), .markup(let text): stringIndex[CodePointKey(text)] = keys.count
        default: break
        }
        keys.append(key)
        values.append(value)
    }

    mutating func set(_ key: String, _ value: Value) { set(.string(key), value) }

    var pairs: [(key: Value, value: Value)] {
        Array(zip(keys, values))
    }
}

/// A string compared code point by code point, as Python compares `str`; Swift's `String`
/// equality would merge canonically equivalent spellings ("é" and "e" + combining accent).
struct CodePointKey: Hashable {
    let text: String
    init(_ text: String) { self.text = text }

    static func == (lhs: CodePointKey, rhs: CodePointKey) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
