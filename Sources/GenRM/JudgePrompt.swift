/// The exact model input for one judging request: the chat messages for a model's own template,
/// and the same messages rendered in the Nemotron base model's Llama 3 format.
public struct JudgePrompt: Sendable, Hashable, Codable {
    /// A system message (`detailed thinking on` or `off`) and one user message holding the
    /// filled judging prompt.
    public var messages: [ChatMessage]
    /// `messages` rendered with ``Llama3ChatFormat``, generation prompt included.
    public var text: String

    public init(messages: [ChatMessage], text: String) {
        self.messages = messages
        self.text = text
    }
}
