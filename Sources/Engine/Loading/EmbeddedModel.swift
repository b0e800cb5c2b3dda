import Foundation
import Formats
import GenRM
import Tokenizers

/// A model ready to run on the CPU: the memory-mapped GGUF file, the network, its tokenizer and
/// the way its chat messages become text.
public final class EmbeddedModel: Sendable {
    public let path: String
    public let file: GGUFFile
    public let network: TransformerModel
    public let tokenizer: Tokenizer
    /// The model's chat template, or the built-in format when the file has none.
    public let promptRenderer: PromptRenderer
    /// Positions a sequence may hold: the model's training context unless the caller asked for
    /// more (llama.cpp allows it too; quality past the training length is the caller's risk).
    public let contextLength: Int
    /// A short display name: `general.name` or the file name.
    public let name: String

    /// - contextLength: override of the model's context (nil = the model's own).
    public init(path: String, contextLength: Int? = nil, pool: ThreadPool = .shared) throws {
        self.path = path
        do {
            file = try GGUFFile(path: path)
        } catch {
            throw EmbeddedModelError.unreadable(path: path, reason: "\(error)")
        }
        network = try TransformerModel(file: file, pool: pool)
        tokenizer = try Tokenizer(gguf: file.metadata)
        promptRenderer = try PromptRenderer.forModel(metadata: file.metadata, tokenizer: tokenizer)
        if let contextLength, contextLength < 1 {
            throw EmbeddedModelError.invalidContextLength(contextLength)
        }
        self.contextLength = contextLength ?? network.config.contextLength
        name = file.metadata["general.name"]?.string ?? URL(fileURLWithPath: path).lastPathComponent
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
