import JSON

/// What is wrong with a message's `content` when it is neither a string nor an array of text parts.
public enum ContentProblem: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// `content` is null, a number, a boolean or an object.
    case wrongType(found: String)
    /// A part of a content array is not an object.
    case partNotObject(part: Int, found: String)
    /// A part's `type` is not `text` (images and audio cannot be judged by a text GenRM).
    case unsupportedPart(part: Int, type: String)
    /// A text part has no string `text` field.
    case partWithoutText(part: Int)

    public var description: String {
        switch self {
        case .wrongType(let found):
            "content is \(found); expected a string or an array of {\"type\": \"text\", \"text\": ...} parts"
        case .partNotObject(let part, let found):
            "content part \(part) is \(found); expected an object {\"type\": \"text\", \"text\": ...}"
        case .unsupportedPart(let part, let type):
            "content part \(part) has type `\(type)`; only `text` parts can be judged"
        case .partWithoutText(let part):
            "content part \(part) has no string `text` field"
        }
    }
}

/// Reads a message's `content` into one string.
enum MessageContent {
    /// Text parts are joined with a newline, as vLLM joins them for text-only models.
    static let partSeparator = "\n"

    static func text(of value: JSONValue) throws(ContentProblem) -> String {
        switch value {
        case .string(let text):
            return text
        case .array(let parts):
            var texts: [String] = []
            for (index, part) in parts.enumerated() {
                guard case .object(let fields) = part else {
                    throw .partNotObject(part: index, found: part.kind)
                }
                let type: String
                switch fields["type"] {
                case .string(let name): type = name
                case nil: type = "(missing)"
                case let other?: type = other.kind
                }
                guard type == "text" else { throw .unsupportedPart(part: index, type: type) }
                guard case .string(let text) = fields["text"] else { throw .partWithoutText(part: index) }
                texts.append(text)
            }
            return texts.joined(separator: partSeparator)
        default:
            throw .wrongType(found: value.kind)
        }
    }
}
