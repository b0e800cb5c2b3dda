import Foundation
import Formats
@testable import Engine

/// What llama.cpp's `convert_hf_to_gguf.py` writes for a tiny checkpoint, done here with the
/// GGUF writer so the tests need no Python beyond the fixtures: gguf-py's tensor names
/// (`tensor_mapping.py`), Q and K rows permuted so rope pairs adjacent dimensions (`LlamaModel.permute`;
/// not for qwen2, which llama.cpp runs with NEOX rope), llama3 scaling as a `rope_freqs.weight`
/// tensor of frequency divisors (`LlamaModel.generate_extra_tensors`), norms and biases as F32,
/// matrices as stored (or quantized with `matrixType`). Written from the converter's source, not
/// from genrm's HF loader, so the two can be held against each other.
struct LlamaCppConversion {
    let directory: String
    /// Store every 2-D matrix in this type instead of as stored (Q8_0 to compare with --quantize).
    var matrixType: GGMLType?
    /// Leave Q and K unpermuted: a wrong conversion, for the test that shows the permutation matters.
    var permuteQK = true

    /// gguf-py's names for transformers' per-layer modules.
    static let layerNames: [String: String] = [
        "input_layernorm.weight": "attn_norm.weight",
        "self_attn.q_proj.weight": "attn_q.weight",
        "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.v_proj.weight": "attn_v.weight",
        "self_attn.o_proj.weight": "attn_output.weight",
        "self_attn.q_proj.bias": "attn_q.bias",
        "self_attn.k_proj.bias": "attn_k.bias",
        "self_attn.v_proj.bias": "attn_v.bias",
        "self_attn.linear_attn.weight": "attn_output.weight",
        "post_attention_layernorm.weight": "ffn_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight",
        "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight",
        "mlp.linear_mlp.weight": "ffn_down.weight",
    ]
    static let topNames = ["model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight", "lm_head.weight": "output.weight"]

    struct Failure: Error, CustomStringConvertible { let description: String }

    func gguf() throws -> GGUFFile {
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/config.json"))) as! [String: Any]
        let modelType = config["model_type"] as! String
        let arch = ["llama": "llama", "qwen2": "qwen2", "nemotron-nas": "deci"][modelType]!
        let hidden = config["hidden_size"] as! Int, heads = config["num_attention_heads"] as! Int
        let headDim = hidden / heads
        let layerCount = config["num_hidden_layers"] as! Int
        var writer = try GGUFWriter()
        func add(_ key: String, _ value: GGUFValue) throws { try writer.add("\(arch).\(key)", value) }
        try writer.add("general.architecture", .string(arch))
        try add("context_length", .uint32(UInt32(config["max_position_embeddings"] as! Int)))
        try add("embedding_length", .uint32(UInt32(hidden)))
        try add("block_count", .uint32(UInt32(layerCount)))
        try add("rope.dimension_count", .uint32(UInt32(headDim)))
        try add("rope.freq_base", .float32(Float(config["rope_theta"] as! Double)))
        try add("attention.layer_norm_rms_epsilon", .float32(Float(config["rms_norm_eps"] as! Double)))
        try add("vocab_size", .uint32(UInt32(config["vocab_size"] as! Int)))
        // Per layer: query heads (0 = no attention), KV heads (0 = linear), FFN width (0 = none or linear).
        var kvHeadsOf: [Int] = []
        if arch == "deci" {
            let blocks = config["block_configs"] as! [[String: Any]]
            var headCounts: [Int] = [], kvCounts: [Int] = [], widths: [Int] = []
            for block in blocks {
                let attention = block["attention"] as! [String: Any], ffn = block["ffn"] as! [String: Any]
                if attention["no_op"] as? Bool == true {
                    headCounts.append(0); kvCounts.append(0)
                } else if attention["replace_with_linear"] as? Bool == true {
                    headCounts.append(heads); kvCounts.append(0)
                } else {
                    headCounts.append(heads); kvCounts.append(heads / (attention["n_heads_in_group"] as! Int))
                }
                if ffn["no_op"] as? Bool == true || ffn["replace_with_linear"] as? Bool == true {
                    widths.append(0)
                } else {
                    // DeciLM's _ffn_mult_to_intermediate_size.
                    let width = Int(2 * (ffn["ffn_mult"] as! Double) * Double(hidden) / 3)
                    widths.append(width % 256 == 0 ? width : width + 256 - width % 256)
                }
            }
            try add("attention.head_count", .array(headCounts.map { .int32(Int32($0)) }))
            try add("attention.head_count_kv", .array(kvCounts.map { .int32(Int32($0)) }))
            try add("feed_forward_length", .array(widths.map { .int32(Int32($0)) }))
            kvHeadsOf = kvCounts
        } else {
            let kv = config["num_key_value_heads"] as? Int ?? heads
            try add("attention.head_count", .uint32(UInt32(heads)))
            try add("attention.head_count_kv", .uint32(UInt32(kv)))
            try add("feed_forward_length", .uint32(UInt32(config["intermediate_size"] as! Int)))
            kvHeadsOf = Array(repeating: kv, count: layerCount)
        }

        guard let weights = try SafetensorsCheckpoint.open(directory: directory) else { throw Failure(description: "no weights in \(directory)") }
        for tensor in weights.tensors {
            let name: String
            var layer = -1
            if let top = Self.topNames[tensor.name] {
                name = top
            } else {
                let parts = tensor.name.split(separator: ".", maxSplits: 3).map(String.init)
                guard parts.count == 4, parts[0] == "model", parts[1] == "layers", let i = Int(parts[2]),
                      let suffix = Self.layerNames[parts[3]]
                else { throw Failure(description: "llama.cpp has no name for \(tensor.name)") }
                layer = i
                name = "blk.\(i).\(suffix)"
            }
            let dims = Array(tensor.shape.reversed())
            let bytes = try weights.bytes(of: tensor.name)
            let type = tensor.dtype.ggmlType!
            var rows = try type.dequantizeReference(row: bytes)
            if permuteQK, arch != "qwen2", name.hasSuffix("attn_q.weight") || name.hasSuffix("attn_k.weight") {
                let groups = name.hasSuffix("attn_q.weight") ? heads : kvHeadsOf[layer]
                rows = Self.permute(rows, rowLength: dims[0], heads: groups)
            }
            if dims.count == 1 {
                try writer.addTensor(name, dimensions: dims, values: rows)
            } else {
                let stored = matrixType ?? type
                try writer.addTensor(name, dimensions: dims, type: stored, data: stored.quantizeReference(rows))
            }
        }
        if let scaling = config["rope_scaling"] as? [String: Any], scaling["rope_type"] as? String == "llama3" {
            try writer.addTensor("rope_freqs.weight", dimensions: [headDim / 2], values: Self.llama3Factors(
                base: config["rope_theta"] as! Double, dim: headDim, factor: scaling["factor"] as! Double,
                low: scaling["low_freq_factor"] as! Double, high: scaling["high_freq_factor"] as! Double,
                original: Double(scaling["original_max_position_embeddings"] as! Int)))
        }
        return try GGUFFile(bytes: writer.bytes())
    }

    /// `LlamaModel.permute`: `w.reshape(n_head, 2, rows // n_head // 2, cols).swapaxes(1, 2)`, so
    /// row `h * d + half * d/2 + i` moves to `h * d + 2i + half`.
    static func permute(_ values: [Float], rowLength: Int, heads: Int) -> [Float] {
        let rows = values.count / rowLength, perHead = rows / heads, half = perHead / 2
        var out = values
        for h in 0..<heads {
            for part in 0..<2 {
                for i in 0..<half {
                    let from = h * perHead + part * half + i, to = h * perHead + 2 * i + part
                    for c in 0..<rowLength { out[to * rowLength + c] = values[from * rowLength + c] }
                }
            }
        }
        return out
    }

    /// The converter's llama3 `rope_factors`: per frequency `base^(-2k/dim)`, 1 for short
    /// wavelengths, `factor` for long ones, a blend between.
    static func llama3Factors(base: Double, dim: Int, factor: Double, low: Double, high: Double, original: Double) -> [Float] {
        stride(from: 0, to: dim, by: 2).map { k in
            let frequency = 1 / pow(base, Double(k) / Double(dim))
            let wavelength = 2 * Double.pi / frequency
            if wavelength < original / high { return 1 }
            if wavelength > original / low { return Float(factor) }
            let smooth = (original / wavelength - low) / (high - low)
            return Float(1 / ((1 - smooth) / factor + smooth))
        }
    }
}
