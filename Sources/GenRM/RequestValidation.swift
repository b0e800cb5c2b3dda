/// The conversation rules of a judging request (PROTOCOL.md section 1), checked in one pass over
/// the messages: an optional leading system message, user/assistant history ending with a user
/// turn, then `response_1` and optionally `response_2`, and nothing after them.
enum RequestValidation {
    struct Parts: Equatable {
        var system: String?
        var history: [HistoryTurn]
        var responses: [String]
    }

    static func validate(_ messages: [ChatMessage]) throws(RequestError) -> Parts {
        guard !messages.isEmpty else { throw .noMessages }
        var parts = Parts(system: nil, history: [], responses: [])
        var lastHistoryIndex: Int?

        for (index, message) in messages.enumerated() {
            let role = RequestRole(message.role)
            switch role {
            case .unknown:
                throw .unknownRole(index: index, role: message.role)
            case .system, .user, .assistant:
                guard parts.responses.isEmpty else {
                    throw .messageAfterResponses(index: index, role: message.role)
                }
                if role == .system {
                    guard index == 0 else { throw .misplacedSystem(index: index) }
                    parts.system = message.content
                } else {
                    parts.history.append(HistoryTurn(role == .user ? .user : .assistant, message.content))
                    lastHistoryIndex = index
                }
            case .response(1):
                guard parts.responses.isEmpty else {
                    throw .repeatedResponse(index: index, role: message.role)
                }
                try checkHistory(parts.history, lastIndex: lastHistoryIndex, responseIndex: index)
                parts.responses.append(message.content)
            case .response(2):
                switch parts.responses.count {
                case 0:
                    let laterResponse1 = messages[(index + 1)...].contains { RequestRole($0.role) == .response(1) }
                    throw laterResponse1
                        ? .responsesOutOfOrder(index: index) : .response2WithoutResponse1(index: index)
                case 1:
                    parts.responses.append(message.content)
                default:
                    throw .repeatedResponse(index: index, role: message.role)
                }
            case .response:
                throw .thirdResponse(index: index, role: message.role)
            }
        }
        guard !parts.responses.isEmpty else { throw .missingResponse1(messageCount: messages.count) }
        return parts
    }

    /// The history must contain a user turn and end with one: the GenRM judges answers to the
    /// user's last query.
    private static func checkHistory(
        _ history: [HistoryTurn], lastIndex: Int?, responseIndex: Int
    ) throws(RequestError) {
        guard history.contains(where: { $0.speaker == .user }) else {
            throw .noUserTurn(responseIndex: responseIndex)
        }
        if let last = history.last, let lastIndex, last.speaker != .user {
            throw .lastHistoryTurnNotUser(index: lastIndex, role: last.speaker.rawValue)
        }
    }
}
