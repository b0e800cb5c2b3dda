import ArgumentParser
import Catalog
import ChatTemplates
import Engine
import Formats
import Foundation
import GenRM
import Tokenizers

/// `genrm template`: what a model will see for a conversation.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Render chat messages with a model's chat template (or a template file) and print the text.",
        discussion: """
            With --model, the model's own template is used (GGUF tokenizer.chat_template, a \
            checkpoint directory's tokenizer_config.json chat_template), or the \
            built-in format genrm falls back to when the file has none; its BOS/EOS token texts \
            are passed to the template. With --template, the file is the Jinja source. Messages \
            are a JSON array of {role, content} or a chat-completions body; custom roles \
            (response_1, response_2) pass through unchanged. Exit status: 0 ok, 1 template or \
            input error (a template's raise_exception message included), 64 usage error.
            """
    )

    @Option(help: "GGUF model file or checkpoint directory whose chat template to use.")
    var model: String?

    @Option(help: "A Jinja chat template file.")
    var template: String?

    @Option(help: "Messages JSON file (`-` or omitted: standard input).")
    var messages: String?

    @Flag(help: "Leave out the assistant generation prompt.")
    var noGenerationPrompt = false

    @Option(help: "bos_token text for the template (default with --model: the model's).")
    var bos: String?

    @Option(help: "eos_token text for the template (default with --model: the model's).")
    var eos: String?

    func validate() throws {
        guard (model == nil) != (template == nil) else {
            throw ValidationError("give exactly one of --model and --template")
        }
    }

    func run() throws {
        try CLIExit.run {
            let chat = try ChatMessage.chatMessages(fromJSON: try CLIInput.data(messages))
            let renderer: PromptRenderer
            if let model {
                let own = try ModelText(path: ModelCache.fromEnvironment().resolve(model: model)).promptRenderer
                renderer = PromptRenderer(template: own.template, origin: own.origin, bosToken: bos ?? own.bosToken, eosToken: eos ?? own.eosToken)
            } else {
                let source = try CLIInput.text(template)
                renderer = PromptRenderer(template: try ChatTemplate(source: source), origin: .model, bosToken: bos, eosToken: eos)
            }
            return try renderer.render(chat, addGenerationPrompt: !noGenerationPrompt)
        }
    }
}
