import Foundation
import Formats
import Tokenizers

/// How a model reads and writes text, without its weights: its tokenizer and the way its chat
/// messages become text. From a GGUF file's metadata, or from a Hugging Face checkpoint
/// directory's `tokenizer.json` (required) and `tokenizer_config.json` (chat template, BOS/EOS,
/// `add_bos_token`, added tokens). What `genrm tokenize` and `genrm template` read, and what
/// `EmbeddedModel` runs with.
public struct ModelText: Sendable {
    public let tokenizer: Tokenizer
    /// The model's chat template, or the built-in format when it ships none.
    public let promptRenderer: PromptRenderer
    /// `general.name` of a GGUF file; nil for a checkpoint (config.json names no model).
    public let name: String?

    /// The text side of the GGUF file or checkpoint directory at `path`.
    public init(path: String) throws {
        if HFCheckpoint.isCheckpoint(path) {
            try self.init(checkpointDirectory: path)
        } else {
            let file: GGUFFile
            do { file = try GGUFFile(path: path) } catch { throw EmbeddedModelError.unreadable(path: path, reason: "\(error)") }
            try self.init(gguf: file)
        }
    }

    public init(gguf file: GGUFFile) throws {
        tokenizer = try Tokenizer(gguf: file.metadata)
        promptRenderer = try PromptRenderer.forModel(metadata: file.metadata, tokenizer: tokenizer)
        name = file.metadata["general.name"]?.string
    }

    /// A checkpoint directory's tokenizer.json with what its tokenizer_config.json says; a
    /// directory without tokenizer.json is refused naming the file.
    public init(checkpointDirectory directory: String) throws {
        let tokenizerPath = (directory as NSString).appendingPathComponent(HFTokenizerConfig.tokenizerFileName)
        guard FileManager.default.fileExists(atPath: tokenizerPath) else {
            throw EmbeddedModelError.unreadable(
                path: directory, reason: "\(tokenizerPath) is missing (genrm reads a checkpoint's tokenizer from its tokenizer.json)")
        }
        let config = try HFTokenizerConfig(directory: directory)
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: tokenizerPath))
            tokenizer = try Tokenizer(tokenizerJSON: data, bosToken: config.bosToken, eosToken: config.eosToken, addBOS: config.addBOSToken)
        } catch {
            throw EmbeddedModelError.unreadable(path: tokenizerPath, reason: "\(error)")
        }
        for token in config.addedTokens where tokenizer.id(forToken: token.content) != token.id {
            throw EmbeddedModelError.unreadable(
                path: config.path,
                reason: "added_tokens_decoder gives id \(token.id) to '\(token.content)', which \(tokenizerPath) "
                    + (tokenizer.id(forToken: token.content).map { "gives id \($0)" } ?? "does not have"))
        }
        do {
            promptRenderer = try PromptRenderer.forModel(chatTemplate: config.chatTemplate, tokenizer: tokenizer)
        } catch {
            throw EmbeddedModelError.unreadable(path: config.chatTemplate != nil ? config.path : directory, reason: "\(error)")
        }
        name = nil
    }
}
