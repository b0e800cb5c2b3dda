import JSON

/// One OpenAI chat message as genrm reads it: a role and its text.
///
/// Decoding accepts `content` as a string or as an array of `{"type": "text", "text": ...}` parts,
/// which are joined with `\n` (as vLLM joins text parts). Encoding always writes a string.
/// `role` is kept as sent: validation of roles belongs to ``JudgeRequest``.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    private enum CodingKeys: String, CodingKey {
        case role, content
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        let raw = try container.decode(JSONValue.self, forKey: .content)
        do {
            content = try MessageContent.text(of: raw)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .content, in: container, debugDescription: error.description)
        }
    }
}
