import Foundation
import Formats

/// A Hugging Face checkpoint directory: `config.json` (required) and, when present, its
/// safetensors weights (`model.safetensors` or shards through `model.safetensors.index.json`),
/// memory-mapped and checked against the config: every tensor the config implies is present in
/// a float type the engine computes with (F32, F16, BF16) and of the implied shape, and no other
/// tensor is there. Each refusal names the file and the tensor.
///
/// `@unchecked Sendable`: immutable after `init`; its files are.
public final class HFCheckpoint: @unchecked Sendable {
    public static let configFileName = "config.json"

    public let directory: String
    public let config: HFModelConfig
    /// Nil when the directory holds no safetensors weights (a config alone can be inspected).
    public let weights: SafetensorsCheckpoint?
    /// `generation_config.json`, reported and never applied; nil when absent.
    public let generationDefaults: HFGenerationDefaults?

    /// Whether `path` is a directory: what a model path names when it is a checkpoint rather than a
    /// GGUF file (its config.json is then required).
    public static func isCheckpoint(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public init(directory: String) throws(ModelError) {
        self.directory = directory
        config = try HFModelConfig(path: (directory as NSString).appendingPathComponent(Self.configFileName))
        generationDefaults = try HFGenerationDefaults.read(directory: directory)
        do { weights = try SafetensorsCheckpoint.open(directory: directory) } catch { throw .safetensors(error) }
        if let weights { try Self.check(weights, against: config) }
    }

    /// The weights, or an error naming the directory and the files it lacks (a config alone can
    /// be inspected, not run).
    public func requireWeights() throws(ModelError) -> SafetensorsCheckpoint {
        guard let weights else {
            throw .checkpointTensor(
                file: directory, tensor: expectedTensors[0].name,
                problem: "is missing: the directory has neither \(SafetensorsCheckpoint.singleFileName) nor \(SafetensorsCheckpoint.indexFileName), so there are no weights to run")
        }
        return weights
    }

    /// The tensors the config implies, by name and row-major shape.
    var expectedTensors: [HFTensorLayout.Tensor] {
        HFTensorLayout.tensors(of: config.model, tiedEmbeddings: config.tiedEmbeddings)
    }

    private static func check(_ weights: SafetensorsCheckpoint, against config: HFModelConfig) throws(ModelError) {
        let expected = HFTensorLayout.tensors(of: config.model, tiedEmbeddings: config.tiedEmbeddings)
        for tensor in expected {
            guard let found = weights.tensorIfPresent(tensor.name) else {
                throw .checkpointTensor(
                    file: weights.directory, tensor: tensor.name,
                    problem: "is missing: the \(config.modelType) config implies it with shape \(tensor.shape)")
            }
            let (file, info) = found
            guard info.shape == tensor.shape else {
                throw .checkpointTensor(
                    file: file.source, tensor: tensor.name,
                    problem: "has shape \(info.shape), but \(config.path) implies \(tensor.shape)")
            }
            guard info.dtype.ggmlType != nil else {
                throw .checkpointTensor(
                    file: file.source, tensor: tensor.name,
                    problem: "has dtype \(info.dtype); genrm computes with F32, F16 and BF16 weights")
            }
        }
        let names = Set(expected.map(\.name))
        for file in weights.files {
            if let extra = file.tensors.first(where: { !names.contains($0.name) && !HFTensorLayout.isDerivedBuffer($0.name) }) {
                throw .checkpointTensor(
                    file: file.source, tensor: extra.name,
                    problem: "is not part of a \(config.modelType) model as \(config.path) describes it")
            }
        }
    }
}
