/// Turns a ``JudgeRequest`` into the judging prompt (PROTOCOL.md section 2).
public struct JudgePromptBuilder: Sendable, Hashable {
    /// Nemotron's reasoning switch, sent as the system message.
    public static let thinkingOn = "detailed thinking on"
    public static let thinkingOff = "detailed thinking off"

    public var template: JudgePromptTemplate
    /// Whether the system message asks the model to reason first (default `true`).
    public var thinking: Bool

    public init(template: JudgePromptTemplate, thinking: Bool = true) {
        self.template = template
        self.thinking = thinking
    }

    /// A builder over the bundled `judge-prompt.txt` (defaults: straight apostrophe, the suffix
    /// on the scores line, thinking on).
    public static func bundled(variant: PromptVariant = PromptVariant(), thinking: Bool = true) throws(PromptTemplateError) -> JudgePromptBuilder {
        JudgePromptBuilder(template: try .bundled(variant), thinking: thinking)
    }

    /// The full model input: the judging messages and their Llama 3 rendering.
    public func prompt(for request: JudgeRequest) -> JudgePrompt {
        let messages = messages(for: request)
        return JudgePrompt(messages: messages, text: Llama3ChatFormat.render(messages))
    }

    /// The judging chat messages: the thinking switch as system, the filled prompt as one user
    /// message. Untrimmed: a chat template applies its own trimming.
    public func messages(for request: JudgeRequest) -> [ChatMessage] {
        [
            ChatMessage(role: "system", content: thinking ? Self.thinkingOn : Self.thinkingOff),
            ChatMessage(role: "user", content: userPrompt(for: request)),
        ]
    }

    /// The judging prompt text with the conversation and responses filled in.
    public func userPrompt(for request: JudgeRequest) -> String {
        template.filled(context: Self.context(of: request), responses: Self.responses(of: request))
    }

    /// `{context}`: one line per turn, `User: ...` or `Assistant: ...`, joined with a newline.
    /// A system turn of the judged conversation comes first as `System: ...` (PROTOCOL.md only
    /// says a leading system message is tolerated; genrm shows it to the judge, labelled like
    /// the other turns, because it often states what the user asked for). Content is verbatim.
    public static func context(of request: JudgeRequest) -> String {
        var lines: [String] = []
        if let system = request.system { lines.append("System: " + system) }
        for turn in request.history {
            lines.append((turn.speaker == .user ? "User: " : "Assistant: ") + turn.content)
        }
        return lines.joined(separator: "\n")
    }

    /// `{responses}`: `[The Begin of Response i]\n<text>\n[The End of Response i]` per response,
    /// joined with a newline; with two responses the whole ends with a newline.
    public static func responses(of request: JudgeRequest) -> String {
        let blocks = request.responses.enumerated().map { index, text in
            JudgmentFormat.responseBegin(index + 1) + "\n" + text + "\n" + JudgmentFormat.responseEnd(index + 1)
        }
        return blocks.joined(separator: "\n") + (blocks.count == 2 ? "\n" : "")
    }
}
