import ChatTemplates
import Foundation

/// Typed reads of a JSON request object (parsed in key order as `TemplateValue`), each failing
/// with a 400 that names the field and says what was expected and what was found.
struct JSONFields {
    let object: TemplateObject
    /// Prefix of field names in messages (`"messages[2]."`).
    var path = ""

    /// Parses a request body; a body that is not a JSON object is a 400 naming the byte offset.
    static func parse(_ body: Data) throws(OpenAIError) -> JSONFields {
        let root: TemplateValue
        do {
            root = try TemplateValue(json: body)
        } catch {
            throw .badRequest("the request body is not valid JSON: \(error)")
        }
        guard case .object(let object) = root else {
            throw .badRequest("the request body must be a JSON object, found \(kind(root))")
        }
        return JSONFields(object: object)
    }

    func has(_ key: String) -> Bool {
        if let value = object[key], value != .null { return true }
        return false
    }

    func string(_ key: String) throws(OpenAIError) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else { throw mismatch(key, "a string", value) }
        return text
    }

    func bool(_ key: String) throws(OpenAIError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .bool(let flag) = value else { throw mismatch(key, "a boolean", value) }
        return flag
    }

    func int(_ key: String) throws(OpenAIError) -> Int? {
        guard let value = present(key) else { return nil }
        switch value {
        case .int(let number): return number
        case .double(let number) where number.rounded() == number && abs(number) < 9.0e15: return Int(number)
        default: throw mismatch(key, "an integer", value)
        }
    }

    func double(_ key: String) throws(OpenAIError) -> Double? {
        guard let value = present(key) else { return nil }
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: throw mismatch(key, "a number", value)
        }
    }

    func object(_ key: String) throws(OpenAIError) -> TemplateObject? {
        guard let value = present(key) else { return nil }
        guard case .object(let object) = value else { throw mismatch(key, "an object", value) }
        return object
    }

    func array(_ key: String) throws(OpenAIError) -> [TemplateValue]? {
        guard let value = present(key) else { return nil }
        guard case .array(let items) = value else { throw mismatch(key, "an array", value) }
        return items
    }

    /// A string or a list of strings (`stop`).
    func strings(_ key: String) throws(OpenAIError) -> [String]? {
        guard let value = present(key) else { return nil }
        switch value {
        case .string(let text): return [text]
        case .array(let items):
            return try items.enumerated().map { index, item throws(OpenAIError) in
                guard case .string(let text) = item else {
                    throw .badRequest("`\(path)\(key)[\(index)]` must be a string, found \(Self.kind(item))", param: path + key)
                }
                return text
            }
        default: throw mismatch(key, "a string or a list of strings", value)
        }
    }

    /// A list of integers (`stop_token_ids`).
    func ints(_ key: String) throws(OpenAIError) -> [Int]? {
        guard let items = try array(key) else { return nil }
        return try items.enumerated().map { index, item throws(OpenAIError) in
            guard case .int(let number) = item else {
                throw .badRequest("`\(path)\(key)[\(index)]` must be an integer, found \(Self.kind(item))", param: path + key)
            }
            return number
        }
    }

    /// Keys present that `known` does not list (ignored, and logged, as vLLM does).
    func unknownKeys(known: Set<String>) -> [String] {
        object.keys.filter { !known.contains($0) }
    }

    private func present(_ key: String) -> TemplateValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    private func mismatch(_ key: String, _ expected: String, _ found: TemplateValue) -> OpenAIError {
        .badRequest("`\(path)\(key)` must be \(expected), found \(Self.kind(found))", param: path + key)
    }

    static func kind(_ value: TemplateValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
