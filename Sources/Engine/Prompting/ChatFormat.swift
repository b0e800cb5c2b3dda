import GenRM
import Tokenizers

/// How chat messages become the model's input text. A model's own chat template wins; the
/// built-in formats are the documented fallbacks for files that ship none.
public enum ChatFormat: Sendable {
    /// `<|im_start|>role\ncontent<|im_end|>\n` per message, then `<|im_start|>assistant\n`
    /// (SmolLM2, Qwen2 and other ChatML models).
    case chatML
    /// The Llama 3 headers of the Nemotron-Super base template (BOS once, contents trimmed): the
    /// built-in for Llama-3-vocabulary GenRM checkpoints without a template.
    case llama3

    public var name: String {
        switch self {
        case .chatML: "chatml"
        case .llama3: "llama3"
        }
    }

    /// The built-in format a vocabulary's special tokens call for, if any.
    public static func builtIn(for tokenizer: Tokenizer) -> ChatFormat? {
        if tokenizer.id(forToken: Llama3ChatFormat.startHeader) != nil { return .llama3 }
        if tokenizer.id(forToken: "<|im_start|>") != nil { return .chatML }
        return nil
    }

    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        switch self {
        case .llama3:
            return Llama3ChatFormat.render(messages, addGenerationPrompt: addGenerationPrompt)
        case .chatML:
            var text = ""
            for message in messages {
                text += "<|im_start|>" + message.role + "\n" + message.content + "<|im_end|>\n"
            }
            if addGenerationPrompt { text += "<|im_start|>assistant\n" }
            return text
        }
    }
}
