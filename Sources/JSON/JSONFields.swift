/// Typed reads of the fields of one JSON object: request bodies, data-file records, results lines.
/// Each read fails with the caller's own error type, built from a ``JSONFieldError`` that names the
/// field (with its path) and says what was expected and what was found. An absent field and a
/// null one both read as nil (as OpenAI and vLLM treat null); the `required:` reads refuse both.
public struct JSONFields<Failure: Error>: Sendable {
    public let object: JSONObject
    /// Prefix of field names inside a nested object (`"stream_options."`, `"history[2]."`).
    public let path: String
    private let failure: @Sendable (JSONFieldError) -> Failure

    public init(_ object: JSONObject, path: String = "", failure: @escaping @Sendable (JSONFieldError) -> Failure) {
        self.object = object
        self.path = path
        self.failure = failure
    }

    /// The fields of a nested object, named under `name` (`"stream_options"`, `"history[2]"`).
    public func nested(_ object: JSONObject, named name: String) -> JSONFields {
        JSONFields(object, path: path + name + ".", failure: failure)
    }

    /// The fields of the object `key`, nil when absent or null.
    public func nested(_ key: String) throws(Failure) -> JSONFields? {
        try object(key).map { nested($0, named: key) }
    }

    /// The caller's error for field `key` breaking a rule of its own ("must be >= 1").
    public func fail(_ key: String, _ problem: String) -> Failure {
        failure(JSONFieldError(field: path + key, param: path + key, problem: problem))
    }

    /// Whether `key` is present and not null.
    public func has(_ key: String) -> Bool { value(key) != nil }

    /// The value of `key`, nil when absent or null.
    public func value(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    /// Keys present that `known` does not list (ignored, and logged, as vLLM does).
    public func unknownKeys(known: Set<String>) -> [String] {
        object.keys.filter { !known.contains($0) }
    }

    public func string(_ key: String) throws(Failure) -> String? {
        try read(key) { value throws(Failure) in try element(value, key, JSONKinds.string) }
    }

    public func string(required key: String) throws(Failure) -> String {
        try require(key, JSONKinds.string.expected) { () throws(Failure) in try string(key) }
    }

    public func bool(_ key: String) throws(Failure) -> Bool? {
        try read(key) { value throws(Failure) in try element(value, key, JSONKinds.bool) }
    }

    /// An integer; a number with a fraction is refused, not truncated ("found 1.5"); an integral
    /// number written with a fraction or exponent (`3.0`, `1e3`) is taken.
    public func int(_ key: String) throws(Failure) -> Int? {
        try read(key) { value throws(Failure) in try element(value, key, JSONKinds.int) }
    }

    public func int(required key: String) throws(Failure) -> Int {
        try require(key, JSONKinds.int.expected) { () throws(Failure) in try int(key) }
    }

    public func double(_ key: String) throws(Failure) -> Double? {
        try read(key) { value throws(Failure) in try element(value, key, JSONKinds.double) }
    }

    public func object(_ key: String) throws(Failure) -> JSONObject? {
        try read(key) { value throws(Failure) in try element(value, key, JSONKinds.object) }
    }

    public func array(_ key: String) throws(Failure) -> [JSONValue]? {
        try read(key) { value throws(Failure) in
            guard case .array(let items) = value else { throw mismatch(key, "an array", value) }
            return items
        }
    }

    public func array(required key: String) throws(Failure) -> [JSONValue] {
        try require(key, "an array") { () throws(Failure) in try array(key) }
    }

    /// A list of strings; each element that is not one is named by its index.
    public func strings(_ key: String) throws(Failure) -> [String]? {
        try list(key, JSONKinds.string)
    }

    /// A string or a list of strings (`stop`), always given back as a list.
    public func stringOrStrings(_ key: String) throws(Failure) -> [String]? {
        guard let value = value(key) else { return nil }
        if case .string(let text) = value { return [text] }
        guard case .array = value else { throw mismatch(key, "a string or a list of strings", value) }
        return try strings(key)
    }

    public func ints(_ key: String) throws(Failure) -> [Int]? {
        try list(key, JSONKinds.int)
    }

    public func doubles(_ key: String) throws(Failure) -> [Double]? {
        try list(key, JSONKinds.double)
    }

    /// A list of objects, each as fields named by its index (`history[2].role`).
    public func objects(_ key: String) throws(Failure) -> [JSONFields]? {
        try list(key, JSONKinds.object)?.enumerated().map { index, object in nested(object, named: "\(key)[\(index)]") }
    }

    /// One of the raw values of `T` (`"schedule": "circular"`), the choices listed when it is not.
    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) throws(Failure) -> T? where T.RawValue == String {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value, let chosen = T(rawValue: text) else {
            let names = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            let found = if case .string(let text) = value { "\"\(text)\"" } else { value.kind }
            throw fail(key, "must be one of \(names), found \(found)")
        }
        return chosen
    }

    // MARK: - Reading

    private func read<T>(_ key: String, _ convert: (JSONValue) throws(Failure) -> T) throws(Failure) -> T? {
        guard let value = value(key) else { return nil }
        return try convert(value)
    }

    private func require<T>(_ key: String, _ expected: String, _ read: () throws(Failure) -> T?) throws(Failure) -> T {
        if let value = try read() { return value }
        if object[key] == nil { throw fail(key, "is missing") }
        throw fail(key, "must be \(expected), found null")
    }

    private func list<T>(_ key: String, _ kind: JSONKind<T>) throws(Failure) -> [T]? {
        guard let items = try array(key) else { return nil }
        var elements: [T] = []
        elements.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let element = kind.convert(item) else {
                throw failure(JSONFieldError(field: "\(path)\(key)[\(index)]", param: path + key, problem: kind.mismatch(item)))
            }
            elements.append(element)
        }
        return elements
    }

    private func element<T>(_ value: JSONValue, _ key: String, _ kind: JSONKind<T>) throws(Failure) -> T {
        guard let element = kind.convert(value) else { throw fail(key, kind.mismatch(value)) }
        return element
    }

    private func mismatch(_ key: String, _ expected: String, _ found: JSONValue) -> Failure {
        fail(key, "must be \(expected), found \(found.kind)")
    }
}

/// What a field must hold: its name in messages and the conversion from a JSON value.
struct JSONKind<T>: Sendable {
    let expected: String
    let convert: @Sendable (JSONValue) -> T?

    func mismatch(_ value: JSONValue) -> String {
        if expected == JSONKinds.int.expected, case .double(let number) = value { return "must be \(expected), found \(number)" }
        return "must be \(expected), found \(value.kind)"
    }
}

enum JSONKinds {
    static let string = JSONKind<String>(expected: "a string") { if case .string(let text) = $0 { text } else { nil } }
    static let bool = JSONKind<Bool>(expected: "a boolean") { if case .bool(let flag) = $0 { flag } else { nil } }
    static let int = JSONKind<Int>(expected: "an integer") { $0.integer }
    static let double = JSONKind<Double>(expected: "a number") { $0.number }
    static let object = JSONKind<JSONObject>(expected: "an object") { if case .object(let object) = $0 { object } else { nil } }
}

extension JSONValue {
    /// The value as an integer: `.int`, or a `.double` without a fraction that an `Int` holds
    /// exactly (below 2^53, where every integer is a double).
    public var integer: Int? {
        switch self {
        case .int(let number): number
        case .double(let number) where number.rounded() == number && abs(number) < 9.0e15: Int(number)
        default: nil
        }
    }

    /// The value as a number (either kind).
    public var number: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
