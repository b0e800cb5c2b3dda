/// A GGUF file's metadata: key/value pairs in file order, with typed lookups that throw
/// `missingKey` / `keyTypeMismatch` naming the key.
public struct GGUFMetadata: Sendable, Equatable {
    /// Keys in the order they appear in the file.
    public private(set) var keys: [String] = []
    /// All values by key.
    public private(set) var values: [String: GGUFValue] = [:]

    public init() {}

    /// Builds metadata from pairs in order; a repeated key is an error.
    public init(_ pairs: [(String, GGUFValue)]) throws(GGUFError) {
        for (key, value) in pairs {
            guard append(key, value) else { throw .duplicateKey(key, offset: -1) }
        }
    }

    /// Appends a pair; false when the key is already present (nothing is changed then).
    @discardableResult
    public mutating func append(_ key: String, _ value: GGUFValue) -> Bool {
        guard values[key] == nil else { return false }
        keys.append(key)
        values[key] = value
        return true
    }

    public var count: Int { keys.count }

    /// Pairs in file order.
    public var entries: [(key: String, value: GGUFValue)] {
        keys.compactMap { key in values[key].map { (key, $0) } }
    }

    public subscript(key: String) -> GGUFValue? { values[key] }

    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// The value of a required key.
    public func value(_ key: String) throws(GGUFError) -> GGUFValue {
        guard let value = values[key] else { throw .missingKey(key) }
        return value
    }

    /// Any integer type, as `Int`.
    public func int(_ key: String) throws(GGUFError) -> Int {
        let v = try value(key)
        guard let i = v.int else { throw mismatch(key, v, "integer") }
        return i
    }

    /// Any float or integer type, as `Double`.
    public func double(_ key: String) throws(GGUFError) -> Double {
        let v = try value(key)
        guard let d = v.double else { throw mismatch(key, v, "number") }
        return d
    }

    /// Any float or integer type, as `Float`.
    public func float(_ key: String) throws(GGUFError) -> Float {
        Float(try double(key))
    }

    public func string(_ key: String) throws(GGUFError) -> String {
        let v = try value(key)
        guard let s = v.string else { throw mismatch(key, v, "string") }
        return s
    }

    public func bool(_ key: String) throws(GGUFError) -> Bool {
        let v = try value(key)
        guard let b = v.bool else { throw mismatch(key, v, "bool") }
        return b
    }

    public func array(_ key: String) throws(GGUFError) -> [GGUFValue] {
        let v = try value(key)
        guard let a = v.array else { throw mismatch(key, v, "array") }
        return a
    }

    public func strings(_ key: String) throws(GGUFError) -> [String] {
        let v = try value(key)
        guard let s = v.strings else { throw mismatch(key, v, "array of string") }
        return s
    }

    public func ints(_ key: String) throws(GGUFError) -> [Int] {
        let v = try value(key)
        guard let i = v.ints else { throw mismatch(key, v, "array of integer") }
        return i
    }

    /// An array of numbers (integers or floats) as `Float`s, e.g. per-layer values.
    public func floats(_ key: String) throws(GGUFError) -> [Float] {
        let v = try value(key)
        guard let a = v.array else { throw mismatch(key, v, "array of number") }
        var out: [Float] = []
        out.reserveCapacity(a.count)
        for element in a {
            guard let d = element.double else { throw mismatch(key, v, "array of number") }
            out.append(Float(d))
        }
        return out
    }

    /// Optional lookups: nil when absent, but a present key of the wrong type still throws.
    public func intIfPresent(_ key: String) throws(GGUFError) -> Int? {
        contains(key) ? try int(key) : nil
    }

    public func doubleIfPresent(_ key: String) throws(GGUFError) -> Double? {
        contains(key) ? try double(key) : nil
    }

    public func floatIfPresent(_ key: String) throws(GGUFError) -> Float? {
        contains(key) ? try float(key) : nil
    }

    public func stringIfPresent(_ key: String) throws(GGUFError) -> String? {
        contains(key) ? try string(key) : nil
    }

    public func boolIfPresent(_ key: String) throws(GGUFError) -> Bool? {
        contains(key) ? try bool(key) : nil
    }

    public func intsIfPresent(_ key: String) throws(GGUFError) -> [Int]? {
        contains(key) ? try ints(key) : nil
    }

    private func mismatch(_ key: String, _ value: GGUFValue, _ expected: String) -> GGUFError {
        .keyTypeMismatch(key: key, actual: value.typeDescription, expected: expected)
    }
}

extension GGUFMetadata {
    public static func == (lhs: GGUFMetadata, rhs: GGUFMetadata) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }
}
