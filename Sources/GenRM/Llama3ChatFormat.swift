/// The Llama 3 chat format of the Nemotron base model's template (PROTOCOL.md section 2, step 5):
/// BOS once, then per message `<|start_header_id|>role<|end_header_id|>\n\n` + trimmed content +
/// `<|eot_id|>`, then the assistant header as the generation prompt.
public enum Llama3ChatFormat {
    public static let beginOfText = "<|begin_of_text|>"
    public static let startHeader = "<|start_header_id|>"
    public static let endHeader = "<|end_header_id|>"
    public static let endOfTurn = "<|eot_id|>"

    /// Renders `messages` as the template does; content is trimmed with Python's `str.strip`
    /// rules because the template's `| trim` is Jinja's, which is Python's.
    public static func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        var text = beginOfText
        for message in messages {
            text += header(message.role) + PythonWhitespace.strip(message.content) + endOfTurn
        }
        if addGenerationPrompt { text += header("assistant") }
        return text
    }

    private static func header(_ role: String) -> String {
        startHeader + role + endHeader + "\n\n"
    }
}
