import Foundation
import JSON

/// Reads a Hugging Face `config.json` with errors that name the file and the field
/// (`block_configs[3].attention.n_heads_in_group`). Shared by the architecture files that read HF
/// checkpoints (`Llama`, `Qwen2`, `DeciLM`); each decides which fields it needs and what they mean,
/// and describes its layers with the same `LayerConfig`s its GGUF reader builds.
struct HFConfigReader {
    /// A config.json is a few kilobytes (the 49B's, with 80 block configs, is 30 KB); a larger
    /// file is not a config and is refused before it is read.
    static let maximumConfigBytes = 16 << 20
    /// No released transformer has more layers; a larger count is a damaged config and is
    /// refused before a layer list of that size is built.
    static let maximumLayers = 10_000
    /// Bound on widths and head counts (hidden, heads, head_dim, intermediate): 64 times the
    /// largest released models' (hidden 16,384), small enough that the products sizes are built
    /// from (widths times widths times layers) cannot overflow.
    static let maximumWidth = 1 << 20
    /// Bound on `vocab_size` (released vocabularies stay under 2^18).
    static let maximumVocabulary = 1 << 24
    /// Bound on `max_position_embeddings`.
    static let maximumContext = 1 << 31

    let path: String
    let fields: JSONFields<ModelError>

    /// Reads `path`; a missing, oversized or non-JSON file fails naming it.
    init(path: String) throws(ModelError) {
        self.init(object: try Self.readObject(path: path), path: path)
    }

    /// The JSON object a checkpoint's small JSON file (config.json, generation_config.json) holds.
    static func readObject(path: String) throws(ModelError) -> JSONObject {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw .unreadableConfig(path: path, reason: "no such file")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw .unreadableConfig(path: path, reason: "not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumConfigBytes else {
            throw .unreadableConfig(path: path, reason: "\(size) bytes, more than a config takes (\(maximumConfigBytes))")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadableConfig(path: path, reason: error.localizedDescription)
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: data) } catch { throw .unreadableConfig(path: path, reason: error.description) }
        guard case .object(let object) = json else {
            throw .unreadableConfig(path: path, reason: "it holds \(json.kind), expected a JSON object")
        }
        return object
    }

    init(object: JSONObject, path: String) {
        self.path = path
        fields = JSONFields(object) { .configField(path: path, $0) }
    }

    /// The error for `field` breaking a rule of the architecture.
    func fail(_ field: String, _ problem: String) -> ModelError { fields.fail(field, problem) }

    func modelType() throws(ModelError) -> String {
        try fields.string(required: "model_type")
    }

    /// A positive integer that must be present, at most `limit`.
    func positive(_ field: String, in fields: JSONFields<ModelError>? = nil, atMost limit: Int = HFConfigReader.maximumWidth) throws(ModelError) -> Int {
        let fields = fields ?? self.fields
        let value = try fields.int(required: field)
        guard value > 0, value <= limit else { throw fields.fail(field, "must be from 1 to \(limit), found \(value)") }
        return value
    }

    func vocabularySize() throws(ModelError) -> Int {
        try positive("vocab_size", atMost: Self.maximumVocabulary)
    }

    func contextLength() throws(ModelError) -> Int {
        try positive("max_position_embeddings", atMost: Self.maximumContext)
    }

    /// `num_hidden_layers`, held to `maximumLayers`.
    func layerCount() throws(ModelError) -> Int {
        try positive("num_hidden_layers", atMost: Self.maximumLayers)
    }

    /// `num_key_value_heads` (default: `heads`, no grouping), which must divide `heads`.
    func kvHeads(heads: Int) throws(ModelError) -> Int {
        guard let kv = try fields.int("num_key_value_heads") else { return heads }
        guard kv > 0, heads % kv == 0 else {
            throw fail("num_key_value_heads", "must be a positive divisor of num_attention_heads \(heads), found \(kv)")
        }
        return kv
    }

    /// `head_dim`, else hidden / heads (which must divide).
    func headDim(hiddenSize: Int, heads: Int) throws(ModelError) -> Int {
        if let headDim = try fields.int("head_dim") {
            guard headDim > 0, headDim <= Self.maximumWidth, headDim % 2 == 0 else {
                throw fail("head_dim", "must be even and from 2 to \(Self.maximumWidth), found \(headDim)")
            }
            return headDim
        }
        guard hiddenSize % heads == 0, (hiddenSize / heads) % 2 == 0 else {
            throw fail("num_attention_heads", "\(heads) heads do not split hidden_size \(hiddenSize) into even head widths")
        }
        return hiddenSize / heads
    }

    /// `rms_norm_eps` (transformers' default for these architectures: 1e-6).
    func normEpsilon() throws(ModelError) -> Float {
        let eps = try fields.double("rms_norm_eps") ?? 1e-6
        guard eps > 0, eps.isFinite else { throw fail("rms_norm_eps", "must be positive, found \(eps)") }
        return Float(eps)
    }

    /// `tie_word_embeddings` (default false): the output projection is the embedding, and the
    /// checkpoint has no `lm_head.weight`.
    func tiedEmbeddings() throws(ModelError) -> Bool {
        try fields.bool("tie_word_embeddings") ?? false
    }

    /// A flag this engine has no computation for must be absent or false (`attention_bias` on
    /// Llama would put a bias on the output projection too; `mlp_bias` on the feed-forward).
    func requireOff(_ field: String, because reason: String) throws(ModelError) {
        if try fields.bool(field) == true { throw fail(field, "is true: \(reason)") }
    }

    /// `hidden_act` must be SiLU (the SwiGLU feed-forward), when given.
    func requireSiLU() throws(ModelError) {
        if let activation = try fields.string("hidden_act"), activation != "silu" {
            throw fail("hidden_act", "is '\(activation)'; genrm runs the SiLU-gated feed-forward of these architectures ('silu')")
        }
    }

    /// `torch_dtype`: the dtype the weights were saved in, when the config states it.
    func storedDType() throws(ModelError) -> String? {
        try fields.string("torch_dtype")
    }

    /// Rotary settings: `rope_theta` (default 10,000), rotate-half pairing (HF weights are not
    /// permuted as llama.cpp's converter permutes them), and `rope_scaling`: none/`default`,
    /// `linear` (positions divided by `factor`) or `llama3` (per-pair frequency divisors, the
    /// values llama.cpp's converter writes to `rope_freqs.weight`).
    func rope(headDim: Int) throws(ModelError) -> RoPEConfig {
        let base = try fields.double("rope_theta") ?? 10_000
        guard base > 0, base.isFinite else { throw fail("rope_theta", "must be a positive number, found \(base)") }
        var rope = RoPEConfig(base: base, dimensions: headDim, pairing: .halves)
        guard let scaling = try fields.nested("rope_scaling") else { return rope }
        // `type` is the older spelling of `rope_type`.
        let newName = try scaling.string("rope_type"), oldName = try scaling.string("type")
        let type = newName ?? oldName ?? "default"
        switch type {
        case "default":
            break
        case "linear":
            let factor = try positiveNumber("factor", in: scaling)
            rope.scale = 1 / factor
        case "llama3":
            let low = try positiveNumber("low_freq_factor", in: scaling)
            let high = try positiveNumber("high_freq_factor", in: scaling)
            guard high > low else { throw scaling.fail("high_freq_factor", "must exceed low_freq_factor \(low), found \(high)") }
            rope.frequencyDivisors = Self.llama3Divisors(
                base: base, dimensions: headDim, factor: try positiveNumber("factor", in: scaling),
                lowFrequencyFactor: low, highFrequencyFactor: high,
                originalContext: Double(try positive("original_max_position_embeddings", in: scaling, atMost: Self.maximumContext)))
        default:
            throw scaling.fail("rope_type", "is '\(type)'; genrm reads 'default', 'linear' and 'llama3' rope scaling")
        }
        return rope
    }

    private func positiveNumber(_ field: String, in fields: JSONFields<ModelError>) throws(ModelError) -> Double {
        guard let value = try fields.double(field) else { throw fields.fail(field, "is missing") }
        guard value > 0, value.isFinite else { throw fields.fail(field, "must be a positive number, found \(value)") }
        return value
    }

    /// Llama 3's rope scaling as divisors of each pair's frequency `base^(-2i/dims)`: 1 for
    /// wavelengths under `original / high`, `factor` above `original / low`, and in between the
    /// smooth blend `1 / ((1 - s) / factor + s)`, `s = (original / wavelength - low) / (high - low)`
    /// (transformers' `_compute_llama3_parameters`).
    static func llama3Divisors(
        base: Double, dimensions: Int, factor: Double, lowFrequencyFactor low: Double, highFrequencyFactor high: Double,
        originalContext: Double
    ) -> [Float] {
        (0..<dimensions / 2).map { i in
            let frequency = Foundation.pow(base, -2 * Double(i) / Double(dimensions))
            let wavelength = 2 * Double.pi / frequency
            if wavelength < originalContext / high { return 1 }
            if wavelength > originalContext / low { return Float(factor) }
            let smooth = (originalContext / wavelength - low) / (high - low)
            return Float(1 / ((1 - smooth) / factor + smooth))
        }
    }

    /// The config of a Llama-like model whose layers all share one shape (llama, qwen2): every
    /// layer grouped-query attention and a SwiGLU feed-forward of `intermediate_size`.
    func uniformConfig(architecture: String, attentionBias: Bool) throws(ModelError) -> ModelConfig {
        try requireSiLU()
        let hiddenSize = try positive("hidden_size")
        let layerCount = try layerCount()
        let heads = try positive("num_attention_heads")
        let kvHeads = try kvHeads(heads: heads)
        let width = try positive("intermediate_size")
        let headDim = try headDim(hiddenSize: hiddenSize, heads: heads)
        let layer = LayerConfig(attention: .multiHead(heads: heads, kvHeads: kvHeads), feedForward: .gated(width: width))
        return ModelConfig(
            architecture: architecture, hiddenSize: hiddenSize, layers: Array(repeating: layer, count: layerCount),
            headDim: headDim, vocabularySize: try vocabularySize(), contextLength: try contextLength(), normEpsilon: try normEpsilon(),
            attentionBias: attentionBias, rope: try rope(headDim: headDim))
    }
}
