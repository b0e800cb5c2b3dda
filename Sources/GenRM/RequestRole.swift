/// The roles a judging request may contain, read from the OpenAI `role` string.
enum RequestRole: Equatable {
    case system
    case user
    case assistant
    /// `response_<n>`: n is 1 or 2 for a valid request; 3 and up are named so the error can say
    /// "a third response" rather than "unknown role".
    case response(Int)
    case unknown

    static let responsePrefix = "response_"

    init(_ role: String) {
        switch role {
        case "system": self = .system
        case "user": self = .user
        case "assistant": self = .assistant
        default:
            self = RequestRole.responseNumber(role).map(RequestRole.response) ?? .unknown
        }
    }

    /// `response_1` -> 1. Only plain decimal numbers without a leading zero count, so that
    /// `response_01` or `response_x` are unknown roles, not silently read as a response.
    private static func responseNumber(_ role: String) -> Int? {
        guard role.hasPrefix(responsePrefix) else { return nil }
        let digits = role.utf8.dropFirst(responsePrefix.utf8.count)
        guard let first = digits.first, first != UInt8(ascii: "0"), digits.count <= 9,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
