import ArgumentParser
import Catalog
import Engine
import Formats
import Foundation
import Tokenizers

/// `genrm tokenize`: token ids of a text, for counting and checking.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text, space-separated on one line.",
        discussion: "Only the tokenizer is read from the model file or checkpoint directory's tokenizer.json (no weights are used). Exit status: 0 ok, 1 error, 64 usage error."
    )

    @Option(help: "GGUF model file or checkpoint directory (default: the embedded default).")
    var model: String?

    @Option(help: "The text to tokenize.")
    var text: String?

    @Argument(help: "A UTF-8 text file to tokenize (`-` reads standard input).")
    var file: String?

    @Flag(help: "Parse control tokens written in the text (e.g. <|im_start|>).")
    var special = false

    func validate() throws {
        if text != nil, file != nil { throw ValidationError("give --text or FILE, not both") }
    }

    func run() throws {
        try CLIExit.run {
            let cache = ModelCache.fromEnvironment()
            let path = try model.map { cache.resolve(model: $0) } ?? cache.require(.embeddedDefault).path
            let tokenizer = try ModelText(path: path).tokenizer
            let input = try text ?? CLIInput.text(file)
            let ids = tokenizer.encode(input, parseSpecial: special)
            return ids.map(String.init).joined(separator: " ") + "\n"
        }
    }
}
