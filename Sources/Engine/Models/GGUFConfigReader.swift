import Formats

/// Reads `<architecture>.<key>` hyper-parameters from a GGUF file with errors that name the key.
/// Shared by the architecture files; each decides which keys it needs and what they mean.
struct GGUFConfigReader {
    let file: GGUFFile
    let architecture: String

    init(file: GGUFFile) throws(ModelError) {
        self.file = file
        do { architecture = try file.metadata.string("general.architecture") } catch { throw .file(error) }
    }

    func key(_ suffix: String) -> String { "\(architecture).\(suffix)" }

    func int(_ suffix: String) throws(ModelError) -> Int {
        do { return try file.metadata.int(key(suffix)) } catch { throw .file(error) }
    }

    func intIfPresent(_ suffix: String) throws(ModelError) -> Int? {
        do { return try file.metadata.intIfPresent(key(suffix)) } catch { throw .file(error) }
    }

    func doubleIfPresent(_ suffix: String) throws(ModelError) -> Double? {
        do { return try file.metadata.doubleIfPresent(key(suffix)) } catch { throw .file(error) }
    }

    func stringIfPresent(_ suffix: String) throws(ModelError) -> String? {
        do { return try file.metadata.stringIfPresent(key(suffix)) } catch { throw .file(error) }
    }

    func double(_ suffix: String) throws(ModelError) -> Double {
        do { return try file.metadata.double(key(suffix)) } catch { throw .file(error) }
    }

    /// A positive integer.
    func positive(_ suffix: String) throws(ModelError) -> Int {
        let value = try int(suffix)
        guard value > 0 else { throw .invalidConfig(key: key(suffix), reason: "must be positive, found \(value)") }
        return value
    }

    /// `block_count`, held to what the file can be before anything is sized by it: every layer
    /// has tensors of its own (`blk.N.`), so more layers than the file has tensors is a damaged
    /// count (2^31 of them once asked for 85 GB), not a model.
    func layerCount() throws(ModelError) -> Int {
        let count = try positive("block_count")
        guard count <= file.tensors.count else {
            throw .invalidConfig(key: key("block_count"), reason: "\(count) layers in a file of \(file.tensors.count) tensors")
        }
        return count
    }

    /// A per-layer integer stored either as one scalar for all layers or as an array of
    /// `layerCount` values (DeciLM). Nil when the key is absent.
    func perLayerIfPresent(_ suffix: String, layerCount: Int) throws(ModelError) -> [Int]? {
        let name = key(suffix)
        guard let value = file.metadata[name] else { return nil }
        if let scalar = value.int {
            guard scalar >= 0 else { throw .invalidConfig(key: name, reason: "must not be negative, found \(scalar)") }
            return Array(repeating: scalar, count: layerCount)
        }
        guard let values = value.ints else {
            throw .file(.keyTypeMismatch(key: name, actual: value.typeDescription, expected: "integer or array of integer"))
        }
        guard values.count == layerCount else {
            throw .invalidConfig(key: name, reason: "has \(values.count) entries for \(layerCount) layers")
        }
        if let i = values.firstIndex(where: { $0 < 0 }) {
            throw .invalidConfig(key: name, reason: "entry \(i) is negative (\(values[i]))")
        }
        return values
    }

    func perLayer(_ suffix: String, layerCount: Int) throws(ModelError) -> [Int] {
        guard let values = try perLayerIfPresent(suffix, layerCount: layerCount) else {
            throw .file(.missingKey(key(suffix)))
        }
        return values
    }

    /// The vocabulary size: `<arch>.vocab_size`, else the rows of `token_embd.weight`.
    func vocabularySize() throws(ModelError) -> Int {
        if let size = try intIfPresent("vocab_size") {
            guard size > 0 else { throw .invalidConfig(key: key("vocab_size"), reason: "must be positive, found \(size)") }
            return size
        }
        guard let embedding = file.tensorIfPresent(TensorNames.tokenEmbedding) else {
            throw .missingTensor(TensorNames.tokenEmbedding)
        }
        return embedding.rowCount
    }

    /// Head width: `attention.key_length`, else hidden / heads; `value_length` must agree.
    func headDim(hiddenSize: Int, heads: [Int]) throws(ModelError) -> Int {
        let headDim: Int
        if let length = try intIfPresent("attention.key_length") {
            guard length > 0 else { throw .invalidConfig(key: key("attention.key_length"), reason: "must be positive, found \(length)") }
            headDim = length
        } else {
            guard let firstHeads = heads.first(where: { $0 > 0 }) else {
                throw .file(.missingKey(key("attention.key_length")))
            }
            guard hiddenSize % firstHeads == 0 else {
                throw .invalidConfig(
                    key: key("attention.head_count"),
                    reason: "embedding_length \(hiddenSize) is not a multiple of \(firstHeads) heads")
            }
            headDim = hiddenSize / firstHeads
        }
        if let valueLength = try intIfPresent("attention.value_length"), valueLength != headDim {
            throw .invalidConfig(
                key: key("attention.value_length"),
                reason: "\(valueLength) differs from key length \(headDim); genrm needs them equal")
        }
        return headDim
    }

    /// Rotary settings; `pairing` is the architecture's, divisors come from `rope_freqs.weight`.
    func rope(headDim: Int, pairing: RoPE.Pairing) throws(ModelError) -> RoPEConfig {
        let base = try doubleIfPresent("rope.freq_base") ?? 10_000
        guard base > 0, base.isFinite else {
            throw .invalidConfig(key: key("rope.freq_base"), reason: "must be a positive number, found \(base)")
        }
        let dimensions = try intIfPresent("rope.dimension_count") ?? headDim
        guard dimensions > 0, dimensions % 2 == 0, dimensions <= headDim else {
            throw .invalidConfig(
                key: key("rope.dimension_count"),
                reason: "must be even and at most the head width \(headDim), found \(dimensions)")
        }
        var scale = 1.0
        let scalingType = try stringIfPresent("rope.scaling.type") ?? "none"
        switch scalingType {
        case "none":
            break
        case "linear":
            let factor = try double("rope.scaling.factor")
            guard factor > 0, factor.isFinite else {
                throw .invalidConfig(key: key("rope.scaling.factor"), reason: "must be positive, found \(factor)")
            }
            scale = 1 / factor
        default:
            throw .invalidConfig(key: key("rope.scaling.type"), reason: "unsupported scaling '\(scalingType)' (supported: none, linear)")
        }
        return RoPEConfig(
            base: base, dimensions: dimensions, pairing: pairing, scale: scale,
            frequencyDivisors: try frequencyDivisors(pairs: dimensions / 2))
    }

    /// `rope_freqs.weight`: one F32 divisor per rotated pair, or nil when the file has none.
    private func frequencyDivisors(pairs: Int) throws(ModelError) -> [Float]? {
        guard let info = file.tensorIfPresent(TensorNames.ropeFrequencies) else { return nil }
        guard info.type == .f32 else {
            throw .unsupportedTensorType(tensor: info.name, type: info.type.name)
        }
        guard info.dimensions == [pairs] else {
            throw .shapeMismatch(tensor: info.name, expected: [pairs], actual: info.dimensions)
        }
        let bytes: UnsafeRawBufferPointer
        do { bytes = try file.bytes(of: info) } catch { throw .file(error) }
        let divisors = (0..<pairs).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        if let i = divisors.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
            throw .invalidConfig(key: TensorNames.ropeFrequencies, reason: "entry \(i) is \(divisors[i]), must be positive")
        }
        return divisors
    }

    /// RMSNorm epsilon.
    func normEpsilon() throws(ModelError) -> Float {
        let eps = try double("attention.layer_norm_rms_epsilon")
        guard eps > 0, eps.isFinite else {
            throw .invalidConfig(key: key("attention.layer_norm_rms_epsilon"), reason: "must be positive, found \(eps)")
        }
        return Float(eps)
    }
}
