import ChatTemplates
import Formats
import GenRM
import JSON
import Tokenizers

/// Turns chat messages into a model's input text with a Jinja chat template rendered exactly as
/// transformers renders it: the model's own (GGUF `tokenizer.chat_template`) or, only when the
/// file ships none, the built-in template its vocabulary calls for.
public struct PromptRenderer: Sendable {
    public enum Origin: Sendable, Equatable {
        case model
        case builtIn(BuiltinChatTemplate)
        /// A template the user gave (`genrm serve --chat-template`), replacing the model's.
        case given(String)
    }

    public let template: ChatTemplate
    public let origin: Origin
    /// The special-token texts the template sees as `bos_token` / `eos_token`.
    public let bosToken: String?
    public let eosToken: String?

    public init(template: ChatTemplate, origin: Origin, bosToken: String? = nil, eosToken: String? = nil) {
        self.template = template
        self.origin = origin
        self.bosToken = bosToken
        self.eosToken = eosToken
    }

    /// The built-in template for a vocabulary without a template of its own: the Nemotron-Super
    /// base template for the Llama 3 vocabulary (GenRM checkpoints), ChatML for ChatML
    /// vocabularies, Gemma's turns for Gemma's; nil when none fits.
    public static func builtIn(for tokenizer: Tokenizer) -> BuiltinChatTemplate? {
        if tokenizer.id(forToken: "<|start_header_id|>") != nil { return .nemotronSuperBase }
        if tokenizer.id(forToken: "<|im_start|>") != nil { return .chatML }
        if tokenizer.id(forToken: "<start_of_turn>") != nil { return .gemma }
        return nil
    }

    /// The renderer for a GGUF model: its template if it has one (a template that does not parse
    /// is an error, never silently replaced), else the built-in one for its vocabulary.
    public static func forModel(metadata: GGUFMetadata, tokenizer: Tokenizer) throws -> PromptRenderer {
        try forModel(chatTemplate: try metadata.stringIfPresent("tokenizer.chat_template"), tokenizer: tokenizer)
    }

    /// The renderer for a model whose own template is `chatTemplate` (GGUF metadata, a
    /// checkpoint's tokenizer_config.json), else the built-in one for its vocabulary.
    public static func forModel(chatTemplate: String?, tokenizer: Tokenizer) throws -> PromptRenderer {
        let bos = tokenizer.bos.flatMap(tokenizer.tokenText)
        let eos = tokenizer.eos.flatMap(tokenizer.tokenText)
        if let source = chatTemplate {
            do {
                return PromptRenderer(template: try ChatTemplate(source: source), origin: .model, bosToken: bos, eosToken: eos)
            } catch {
                throw PromptRenderingError.invalidModelTemplate("\(error)")
            }
        }
        guard let builtIn = builtIn(for: tokenizer) else { throw PromptRenderingError.noChatTemplate }
        return PromptRenderer(template: try builtIn.template(), origin: .builtIn(builtIn), bosToken: bos, eosToken: eos)
    }

    /// This renderer with `template` in place of its own (same special tokens); `source` says
    /// where it came from.
    public func replacingTemplate(_ template: ChatTemplate, source: String) -> PromptRenderer {
        PromptRenderer(template: template, origin: .given(source), bosToken: bosToken, eosToken: eosToken)
    }

    /// Which template renders, for logs and `/v1/models`.
    public var description: String {
        switch origin {
        case .model: "the model's chat template"
        case .builtIn(let builtIn): "the built-in \(builtIn.rawValue) template"
        case .given(let source): "the chat template from \(source)"
        }
    }

    /// Renders `messages` (custom roles such as `response_1` pass through to the template
    /// unchanged). `extraContext` is `chat_template_kwargs`. Template errors, including the
    /// template's own `raise_exception`, are thrown as `PromptRenderingError.template`.
    public func render(
        _ messages: [ChatMessage], addGenerationPrompt: Bool = true, extraContext: TemplateObject = [:]
    ) throws(PromptRenderingError) -> String {
        let objects = messages.map { message in
            TemplateObject([("role", .string(message.role)), ("content", .string(message.content))])
        }
        return try render(objects: objects, addGenerationPrompt: addGenerationPrompt, extraContext: extraContext)
    }

    /// Renders whole message objects: every key a client sent (`name`, `tool_calls`,
    /// `tool_call_id`, `reasoning_content`, ...) reaches the template, as in transformers; `tools`
    /// is the template's `tools` variable.
    public func render(
        objects: [TemplateObject], addGenerationPrompt: Bool = true, tools: [TemplateValue]? = nil, extraContext: TemplateObject = [:]
    ) throws(PromptRenderingError) -> String {
        do {
            return try template.render(
                messages: objects.map(TemplateValue.object), addGenerationPrompt: addGenerationPrompt, bosToken: bosToken,
                eosToken: eosToken, tools: tools, extraContext: extraContext)
        } catch let error as TemplateError {
            throw .template(error)
        } catch {
            throw .template(.runtime(line: 0, column: 0, message: "\(error)"))
        }
    }
}

public enum PromptRenderingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template refused the messages or failed (a request error: HTTP 400).
    case template(TemplateError)
    case invalidModelTemplate(String)
    case noChatTemplate

    public var description: String {
        switch self {
        case .template(let error): "chat template: \(error)"
        case .invalidModelTemplate(let reason): "the model's chat template does not parse: \(reason)"
        case .noChatTemplate: "the model has no chat template and its vocabulary matches no built-in template"
        }
    }
}
