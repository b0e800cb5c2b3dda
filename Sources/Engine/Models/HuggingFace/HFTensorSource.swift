import Formats

/// A Hugging Face checkpoint's safetensors weights under the engine's tensor names: each tensor
/// its config implies (`HFTensorLayout`) is handed to the architectures by its GGUF name, its
/// bytes mapped where they lie (`[out, in]` row-major is ggml's `[in, out]`: no transpose, no
/// copy). Derived buffers (`rotary_emb.inv_freq`) are not part of the model and are not listed.
///
/// `@unchecked Sendable`: immutable after `init`; the checkpoint's files are.
final class HFTensorSource: TensorSource, @unchecked Sendable {
    /// Keeps the mapped files alive.
    let checkpoint: HFCheckpoint
    let tensorNames: [String]
    private let tensors: [String: (name: String, file: SafetensorsFile, info: SafetensorsTensorInfo)]

    /// The weights of `checkpoint`, which `HFCheckpoint` has already checked against its config
    /// (present, shaped, float, nothing extra); a checkpoint without weights is refused.
    init(checkpoint: HFCheckpoint) throws(ModelError) {
        let weights = try checkpoint.requireWeights()
        self.checkpoint = checkpoint
        var tensors: [String: (name: String, file: SafetensorsFile, info: SafetensorsTensorInfo)] = [:]
        var names: [String] = []
        for tensor in checkpoint.expectedTensors {
            guard let (file, info) = weights.tensorIfPresent(tensor.name) else {
                throw .checkpointTensor(file: weights.directory, tensor: tensor.name, problem: "is missing")
            }
            tensors[tensor.engineName] = (tensor.name, file, info)
            names.append(tensor.engineName)
        }
        self.tensors = tensors
        tensorNames = names
    }

    var origin: String { checkpoint.directory }

    func sourceTensor(_ name: String) -> SourceTensor? {
        guard let found = tensors[name], let type = found.info.dtype.ggmlType,
            let bytes = try? found.file.bytes(of: found.info)
        else { return nil }
        return SourceTensor(name: name, storedName: found.name, dimensions: found.info.shape.reversed(), type: type, bytes: bytes)
    }

    func releaseResidentPages(of name: String, within range: Range<Int>?) {
        guard let found = tensors[name] else { return }
        found.file.releaseResidentPages(of: found.info, within: range)
    }
}
