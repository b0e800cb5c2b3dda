import Foundation
import JSON

/// A JSON-shaped value handed to a chat template: messages, tools, extra context. It is the JSON
/// module's value, whose objects keep their key order as Python dictionaries do (templates render
/// `tojson` and `items()` in that order).
public typealias TemplateValue = JSONValue

/// An insertion-ordered object of template values.
public typealias TemplateObject = JSONObject

extension JSONValue {
    /// Parses JSON text as ``JSONValue/init(parsing:)-(Data)`` does, its error as a template error.
    public init(json data: Data) throws {
        do {
            self = try JSONValue(parsing: data)
        } catch {
            throw TemplateError.json(offset: error.offset, message: error.message)
        }
    }

    public init(json text: String) throws {
        do {
            self = try JSONValue(parsing: text)
        } catch {
            throw TemplateError.json(offset: error.offset, message: error.message)
        }
    }
}
