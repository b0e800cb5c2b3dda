/// One turn of the conversation being judged (the history before the candidate responses).
public struct HistoryTurn: Sendable, Hashable, Codable {
    public enum Speaker: String, Sendable, Hashable, Codable {
        case user
        case assistant
    }

    public var speaker: Speaker
    public var content: String

    public init(_ speaker: Speaker, _ content: String) {
        self.speaker = speaker
        self.content = content
    }
}
