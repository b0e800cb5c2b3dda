import Foundation
import Formats
import GenRM
import Tokenizers

/// A model ready to run on the CPU: the network over its memory-mapped weights (a GGUF file,
/// or a Hugging Face checkpoint directory), its tokenizer and the way its chat messages become text.
public final class EmbeddedModel: Sendable {
    public let path: String
    /// The GGUF file, nil for a checkpoint directory.
    public let file: GGUFFile?
    /// The checkpoint directory read, nil for a GGUF file.
    public let checkpoint: HFCheckpoint?
    public let network: TransformerModel
    public let tokenizer: Tokenizer
    /// The model's chat template, or the built-in format when the file has none.
    public let promptRenderer: PromptRenderer
    /// Positions a sequence may hold: the model's training context unless the caller asked for
    /// more (llama.cpp allows it too; quality past the training length is the caller's risk).
    public let contextLength: Int
    /// A short display name: `general.name`, or the file or directory name.
    public let name: String

    /// - path: a GGUF file or a checkpoint directory (config.json, safetensors weights,
    ///   tokenizer.json; see `HFCheckpoint`, `ModelText`).
    /// - contextLength: override of the model's context (nil = the model's own).
    /// - quantize: quantize float matrices to Q8_0 or Q4_K as they load (nil = run as stored).
    public init(path: String, contextLength: Int? = nil, quantize: GGMLType? = nil, pool: ThreadPool = .shared) throws {
        self.path = path
        if let contextLength, contextLength < 1 {
            throw EmbeddedModelError.invalidContextLength(contextLength)
        }
        let text: ModelText
        if HFCheckpoint.isCheckpoint(path) {
            let checkpoint = try HFCheckpoint(directory: path)
            // The tokenizer first: a directory without one fails before any weight is mapped.
            text = try ModelText(checkpointDirectory: path)
            network = try TransformerModel(checkpoint: checkpoint, quantize: quantize, pool: pool)
            self.checkpoint = checkpoint
            file = nil
        } else {
            let file: GGUFFile
            do { file = try GGUFFile(path: path) } catch { throw EmbeddedModelError.unreadable(path: path, reason: "\(error)") }
            network = try TransformerModel(file: file, quantize: quantize, pool: pool)
            text = try ModelText(gguf: file)
            self.file = file
            checkpoint = nil
        }
        tokenizer = text.tokenizer
        promptRenderer = text.promptRenderer
        if checkpoint != nil, tokenizer.vocabularySize > network.config.vocabularySize {
            throw EmbeddedModelError.unreadable(
                path: path, reason: "the tokenizer has \(tokenizer.vocabularySize) tokens, more than the model's vocabulary of \(network.config.vocabularySize)")
        }
        self.contextLength = contextLength ?? network.config.contextLength
        name = text.name ?? URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
    }

    /// Token ids of a rendered chat text: special tokens in it are parsed, and BOS is added only
    /// when the model asks for it and the text does not already start with it.
    public func encodePrompt(_ text: String) -> [Int] {
        encodeRawPrompt(text, parseSpecial: true)
    }

    /// Token ids of a prompt given as text (`genrm generate --prompt`, a completions prompt):
    /// special tokens parsed unless `parseSpecial` is false, BOS as for `encodePrompt`.
    public func encodeRawPrompt(_ text: String, parseSpecial: Bool) -> [Int] {
        var ids = tokenizer.encode(text, parseSpecial: parseSpecial)
        if tokenizer.addBOS, let bos = tokenizer.bos, ids.first != bos { ids.insert(bos, at: 0) }
        return ids
    }
}

public enum EmbeddedModelError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalidContextLength(Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot load \(path): \(reason)"
        case .invalidContextLength(let length): "context length \(length) is out of range: must be >= 1"
        }
    }
}
