import Foundation
import JSON

extension ChatMessage {
    /// The messages of a JSON chat request: a chat-completions body `{"messages": [...], ...}` or a
    /// bare messages array. `content` is read into strings (text parts joined with `\n`); roles are
    /// not checked here (``JudgeRequest`` checks them for judging). Errors name the message index
    /// and field.
    public static func chatMessages(fromJSON json: Data) throws(RequestError) -> [ChatMessage] {
        let root = try parse(json)
        let list: [JSONValue]
        switch root {
        case .array(let items):
            list = items
        case .object(let fields):
            guard let messages = fields["messages"] else { throw .missingMessagesField }
            guard case .array(let items) = messages else { throw .messagesNotArray(found: messages.kind) }
            list = items
        default:
            throw .notARequest(found: root.kind)
        }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            messages.append(try chatMessage(item, index: index))
        }
        return messages
    }

    /// Parses a JSON document; a syntax error is `invalidJSON` naming the byte where it broke.
    static func parse(_ json: Data) throws(RequestError) -> JSONValue {
        do {
            return try JSONValue(parsing: json)
        } catch {
            throw .invalidJSON(detail: "at byte \(error.offset): \(error.message)")
        }
    }

    static func chatMessage(_ item: JSONValue, index: Int) throws(RequestError) -> ChatMessage {
        guard case .object(let fields) = item else { throw .messageNotObject(index: index, found: item.kind) }
        guard let roleValue = fields["role"] else { throw .missingRole(index: index) }
        guard case .string(let role) = roleValue else { throw .roleNotString(index: index, found: roleValue.kind) }
        guard let content = fields["content"] else { throw .missingContent(index: index, role: role) }
        do {
            return ChatMessage(role: role, content: try MessageContent.text(of: content))
        } catch {
            throw .invalidContent(index: index, role: role, problem: error)
        }
    }
}
