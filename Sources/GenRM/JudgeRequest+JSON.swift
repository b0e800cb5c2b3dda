import Foundation

extension JudgeRequest {
    /// Reads a request from JSON: a chat-completions body `{"model": ..., "messages": [...]}`
    /// (other fields are ignored) or a bare messages array. Shape errors name the message index and
    /// field (see ``ChatMessage/chatMessages(fromJSON:)``); the messages are then validated as in
    /// ``init(messages:options:)``.
    public init(json: Data, options: RequestOptions = RequestOptions()) throws(RequestError) {
        try self.init(messages: ChatMessage.chatMessages(fromJSON: json), options: options)
    }
}
