import Formats
import JSON

/// Why a model could not be built from a file, or why a request to it cannot be served.
/// Every case names the key, tensor, layer or sizes involved.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file itself is unreadable or a metadata key is missing or mistyped.
    case file(GGUFError)
    /// A safetensors file of a Hugging Face checkpoint is unreadable or disagrees with its index.
    case safetensors(SafetensorsError)
    /// A tensor's data cannot be used (size, type, shape).
    case tensor(TensorError)
    /// A Hugging Face `config.json` (at `path`) cannot be read or is not a JSON object.
    case unreadableConfig(path: String, reason: String)
    /// A field of a Hugging Face `config.json` is missing, mistyped or out of range.
    case configField(path: String, JSONFieldError)
    /// `model_type` names an architecture genrm does not read from Hugging Face checkpoints.
    case unsupportedModelType(String, path: String)
    /// A tensor of a Hugging Face checkpoint disagrees with its config (`file` holds it).
    case checkpointTensor(file: String, tensor: String, problem: String)
    /// `general.architecture` names an architecture genrm has no implementation for.
    case unsupportedArchitecture(String)
    /// A metadata value is present but unusable or contradicts another one.
    case invalidConfig(key: String, reason: String)
    /// A tensor the architecture requires is absent.
    case missingTensor(String)
    /// A tensor the architecture does not use is present (a sign of a mismatched loader).
    case unexpectedTensor(String)
    /// A tensor's dimensions (ggml order, ne0 first) differ from what the config implies.
    case shapeMismatch(tensor: String, expected: [Int], actual: [Int])
    /// A tensor is stored in a type genrm cannot compute with in that role.
    case unsupportedTensorType(tensor: String, type: String)
    /// The prompt plus requested room does not fit the context window.
    case contextOverflow(tokens: Int, contextLength: Int)
    /// A token id outside the vocabulary.
    case tokenOutOfRange(token: Int, index: Int, vocabularySize: Int)
    /// A batch row addresses a sequence or position the cache cannot accept.
    case invalidBatch(String)

    public var description: String {
        switch self {
        case .file(let error):
            return error.description
        case .safetensors(let error):
            return error.description
        case .tensor(let error):
            return error.description
        case .unreadableConfig(let path, let reason):
            return "cannot read model config \(path): \(reason)"
        case .configField(let path, let error):
            return "\(path): \(error.description)"
        case .unsupportedModelType(let type, let path):
            return "\(path): unsupported model_type '\(type)' (supported: "
                + ArchitectureRegistry.huggingFaceModelTypes.joined(separator: ", ") + ")"
        case .checkpointTensor(let file, let tensor, let problem):
            return "\(file): tensor '\(tensor)' \(problem)"
        case .unsupportedArchitecture(let name):
            return "unsupported model architecture '\(name)' (supported: "
                + ArchitectureRegistry.names.joined(separator: ", ") + ")"
        case .invalidConfig(let key, let reason):
            return "invalid model config '\(key)': \(reason)"
        case .missingTensor(let name):
            return "missing tensor '\(name)'"
        case .unexpectedTensor(let name):
            return "unexpected tensor '\(name)' for this architecture"
        case .shapeMismatch(let name, let expected, let actual):
            return "tensor '\(name)' has shape \(actual), expected \(expected)"
        case .unsupportedTensorType(let name, let type):
            return "tensor '\(name)' has unsupported type \(type)"
        case .contextOverflow(let tokens, let contextLength):
            return "\(tokens) tokens do not fit the context window of \(contextLength) tokens"
        case .tokenOutOfRange(let token, let index, let vocabularySize):
            return "token id \(token) at index \(index) is outside the vocabulary of \(vocabularySize)"
        case .invalidBatch(let reason):
            return "invalid batch: \(reason)"
        }
    }
}
