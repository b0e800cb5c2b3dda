/// Why a judging request was refused. Every case names the message index (0-based, as in the
/// `messages` array) where the rule was broken, and the message says the rule.
public enum RequestError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    // The JSON shape.
    case invalidJSON(detail: String)
    case notARequest(found: String)
    case missingMessagesField
    case messagesNotArray(found: String)
    case messageNotObject(index: Int, found: String)
    case missingRole(index: Int)
    case roleNotString(index: Int, found: String)
    case missingContent(index: Int, role: String)
    case invalidContent(index: Int, role: String, problem: ContentProblem)

    // The conversation rules.
    case noMessages
    case unknownRole(index: Int, role: String)
    case misplacedSystem(index: Int)
    case noUserTurn(responseIndex: Int)
    case lastHistoryTurnNotUser(index: Int, role: String)
    case missingResponse1(messageCount: Int)
    case response2WithoutResponse1(index: Int)
    case responsesOutOfOrder(index: Int)
    case repeatedResponse(index: Int, role: String)
    case thirdResponse(index: Int, role: String)
    case messageAfterResponses(index: Int, role: String)

    // Operations on a valid request.
    case cannotSwapOneResponse

    public var description: String {
        switch self {
        case .invalidJSON(let detail):
            "request is not valid JSON: \(detail)"
        case .notARequest(let found):
            "request is \(found); expected a chat-completions body {\"messages\": [...]} or a messages array"
        case .missingMessagesField:
            "request object has no `messages` field"
        case .messagesNotArray(let found):
            "`messages` is \(found); expected an array of messages"
        case .messageNotObject(let index, let found):
            "message \(index) is \(found); expected an object {\"role\": ..., \"content\": ...}"
        case .missingRole(let index):
            "message \(index) has no `role`"
        case .roleNotString(let index, let found):
            "message \(index): `role` is \(found); expected a string"
        case .missingContent(let index, let role):
            "message \(index) (\(role)) has no `content`"
        case .invalidContent(let index, let role, let problem):
            "message \(index) (\(role)): \(problem)"
        case .noMessages:
            "request has no messages"
        case .unknownRole(let index, let role):
            "message \(index) has unknown role `\(role)`; expected system, user, assistant, response_1 or response_2"
        case .misplacedSystem(let index):
            "message \(index) is a system message; only the first message may be a system message"
        case .noUserTurn(let responseIndex):
            "the conversation before response_1 (message \(responseIndex)) has no user turn"
        case .lastHistoryTurnNotUser(let index, let role):
            "the last conversation turn before the responses (message \(index)) is `\(role)`; it must be the user's query"
        case .missingResponse1(let messageCount):
            "none of the \(messageCount) messages has role `response_1`; add the response to judge"
        case .response2WithoutResponse1(let index):
            "message \(index) is response_2 but there is no response_1"
        case .responsesOutOfOrder(let index):
            "message \(index) is response_2 before response_1; responses must come in order response_1, response_2"
        case .repeatedResponse(let index, let role):
            "message \(index) repeats `\(role)`; each response role appears once"
        case .thirdResponse(let index, let role):
            "message \(index) has role `\(role)`; at most two responses (response_1, response_2) can be judged"
        case .messageAfterResponses(let index, let role):
            "message \(index) (\(role)) follows the responses; the responses must be the last messages"
        case .cannotSwapOneResponse:
            "a request with one response has no positions to swap"
        }
    }
}
