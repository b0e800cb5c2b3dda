import Formats

/// A decoder-only transformer ready to run: its config, the layers its architecture built from
/// the memory-mapped weights, and the thread pool its kernels use. Immutable and shareable; the
/// mutable state of a generation lives in a `KVCache`.
public final class TransformerModel: Sendable {
    public let config: ModelConfig
    let stack: DecoderStack
    let pool: ThreadPool
    /// Weight bytes one decode step reads (every matmul matrix as the kernels hold it, one
    /// embedding row): divided into a measured decode speed, the memory bandwidth it reaches.
    public let decodeBytesPerToken: Int
    /// What quantizing at load did, for the load line; nil when the weights run as stored.
    public let quantization: String?
    /// Keeps the mapped files alive for the weights' pointers.
    let weights: any TensorSource

    /// Builds the model `file` describes with the architecture its metadata names.
    public convenience init(file: GGUFFile, quantize: GGMLType? = nil, pool: ThreadPool = .shared) throws(ModelError) {
        try self.init(source: file, config: try ArchitectureRegistry.config(of: file), quantize: quantize, pool: pool)
    }

    /// Builds the model of a Hugging Face checkpoint directory (`HFCheckpoint`, whose tensors are
    /// already checked against its config.json): the same architecture code as for its GGUF,
    /// over the safetensors weights mapped under the engine's names. `quantize` (Q8_0 or Q4_K)
    /// quantizes its float matrices as they load; without it they run as stored (F32, F16, BF16).
    public convenience init(checkpoint: HFCheckpoint, quantize: GGMLType? = nil, pool: ThreadPool = .shared) throws(ModelError) {
        try self.init(source: try HFTensorSource(checkpoint: checkpoint), config: checkpoint.config.model, quantize: quantize, pool: pool)
    }

    /// Opens the GGUF file or the Hugging Face checkpoint directory at `path`.
    public convenience init(path: String, quantize: GGMLType? = nil, pool: ThreadPool = .shared) throws(ModelError) {
        if HFCheckpoint.isCheckpoint(path) {
            try self.init(checkpoint: try HFCheckpoint(directory: path), quantize: quantize, pool: pool)
            return
        }
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw .file(error) }
        try self.init(file: file, quantize: quantize, pool: pool)
    }

    /// A model from an explicit config (tests build tiny configs directly).
    public convenience init(file: GGUFFile, config: ModelConfig, pool: ThreadPool = .shared) throws(ModelError) {
        try self.init(source: file, config: config, pool: pool)
    }

    /// The model `config` describes over the tensors of `source`. With `quantize`, every float
    /// matrix is quantized to it at load (Q8_0 where rows do not split into its blocks); a
    /// source with no float matrix to quantize (a GGUF already quantized) is refused.
    public init(source: any TensorSource, config: ModelConfig, quantize: GGMLType? = nil, pool: ThreadPool = .shared) throws(ModelError) {
        self.config = config
        self.weights = source
        self.pool = pool
        let quantizer = try quantize.map { (type) throws(ModelError) in try LoadQuantizer(target: type, pool: pool) }
        (stack, decodeBytesPerToken) = try ArchitectureRegistry.stack(of: source, config: config, quantizer: quantizer)
        if let quantizer, quantizer.matrices == 0 {
            throw .invalidConfig(
                key: "quantize",
                reason: "\(source.origin) has no F32, F16 or BF16 matrix to quantize to \(quantizer.target.name) (its matrices are already quantized)")
        }
        quantization = quantizer?.summary
    }

    /// Fails on the first token id outside the vocabulary.
    public func validate(tokens: [Int]) throws(ModelError) {
        if let i = tokens.firstIndex(where: { $0 < 0 || $0 >= config.vocabularySize }) {
            throw .tokenOutOfRange(token: tokens[i], index: i, vocabularySize: config.vocabularySize)
        }
    }

    /// Runs the rows of `batch` through the model, appending their keys and values to `cache`,
    /// and returns next-token logits for `batch.logitRows`. Checks the whole batch before
    /// touching the cache, so a rejected batch leaves it unchanged.
    public func forward(_ batch: TokenBatch, cache: KVCache) throws(ModelError) -> Logits {
        try ForwardPass(stack: stack, config: config, batch: batch, cache: cache, pool: pool).run()
    }
}
