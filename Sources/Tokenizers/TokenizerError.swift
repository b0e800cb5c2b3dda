/// Why a tokenizer could not be built or could not decode; every message names the field,
/// index or value at fault.
public enum TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A required field (GGUF key or tokenizer.json path) is absent.
    case missingField(String)
    /// A field is present but has the wrong type or an impossible value.
    case invalidField(String, reason: String)
    /// `tokenizer.ggml.model` or the tokenizer.json model type is not one this library
    /// implements.
    case unsupportedModel(String)
    /// A pre-tokenizer (GGUF `tokenizer.ggml.pre`, or a tokenizer.json pre-tokenizer or Split
    /// regex) this library does not implement.
    case unsupportedPreTokenizer(String)
    /// Another tokenizer.json component or option that is not implemented.
    case unsupportedComponent(String)
    /// Merge number `index` is malformed or names tokens missing from the vocabulary.
    case invalidMerge(index: Int, merge: String, reason: String)
    /// Two vocabulary entries claim the same token text or the same id.
    case duplicateToken(String, index: Int)
    /// An id outside `0..<vocabularySize` at `position` of the input.
    case idOutOfRange(id: Int, position: Int, vocabularySize: Int)
    /// tokenizer.json is not valid JSON.
    case malformedJSON(String)

    public var description: String {
        switch self {
        case .missingField(let field):
            return "tokenizer: missing field '\(field)'"
        case .invalidField(let field, let reason):
            return "tokenizer: invalid field '\(field)': \(reason)"
        case .unsupportedModel(let model):
            return "tokenizer: unsupported model '\(model)' (implemented: byte-level BPE, and SentencePiece from GGUF)"
        case .unsupportedPreTokenizer(let pre):
            return "tokenizer: unsupported pre-tokenizer '\(pre)'"
        case .unsupportedComponent(let what):
            return "tokenizer: unsupported \(what)"
        case .invalidMerge(let index, let merge, let reason):
            return "tokenizer: merge \(index) '\(merge)': \(reason)"
        case .duplicateToken(let token, let index):
            return "tokenizer: token \(index) '\(token)' duplicates an earlier token"
        case .idOutOfRange(let id, let position, let size):
            return "tokenizer: token id \(id) at position \(position) is outside 0..<\(size)"
        case .malformedJSON(let reason):
            return "tokenizer.json: \(reason)"
        }
    }
}
