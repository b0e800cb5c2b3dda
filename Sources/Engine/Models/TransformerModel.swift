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
    /// Keeps the mapping alive for the weights' pointers.
    let file: GGUFFile

    /// Builds the model `file` describes with the architecture its metadata names.
    public convenience init(file: GGUFFile, pool: ThreadPool = .shared) throws(ModelError) {
        try self.init(file: file, config: try ArchitectureRegistry.config(of: file), pool: pool)
    }

    /// Opens the GGUF file at `path`.
    public convenience init(path: String, pool: ThreadPool = .shared) throws(ModelError) {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw .file(error) }
        try self.init(file: file, pool: pool)
    }

    /// A model from an explicit config (tests build tiny configs directly).
    public init(file: GGUFFile, config: ModelConfig, pool: ThreadPool = .shared) throws(ModelError) {
        self.config = config
        self.file = file
        self.pool = pool
        (stack, decodeBytesPerToken) = try ArchitectureRegistry.stack(of: file, config: config)
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
