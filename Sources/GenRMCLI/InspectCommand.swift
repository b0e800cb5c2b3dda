import ArgumentParser
import Catalog
import Engine
import Foundation
import JSON

/// `genrm inspect`: what a model is and what it takes in memory, read from a GGUF file or a
/// Hugging Face checkpoint directory without loading its weights.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a model (GGUF file or Hugging Face directory) and plan its memory.",
        discussion: """
            Prints the architecture, the layers compressed into runs of one shape, the parameter count, the bytes \
            per stored tensor type, and a memory plan: the weights as stored and if quantized at load (q8_0, q4_k), \
            and the KV cache per token and at --max-model-len. A directory needs config.json; its safetensors \
            weights are optional (without them the tensors are those the config implies). Exit status: 0 ok, \
            1 error, 64 usage error.
            """
    )

    @Argument(help: "A GGUF file or a Hugging Face checkpoint directory (config.json, *.safetensors).")
    var model: String

    @Option(help: "Context length the KV cache is planned for (default: the model's).")
    var maxModelLen: Int?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if let maxModelLen, maxModelLen < 1 { throw ValidationError("--max-model-len must be >= 1, not \(maxModelLen)") }
    }

    func run() throws {
        try CLIExit.run {
            let inspection = try ModelInspection(path: ModelCache.fromEnvironment().resolve(model: model))
            let plan = inspection.memoryPlan(contextLength: maxModelLen)
            if json { return try CLIJSON.string(InspectReport(inspection, plan: plan)) }
            return Self.text(inspection, plan: plan)
        }
    }

    static func text(_ inspection: ModelInspection, plan: MemoryPlan) -> String {
        let config = inspection.config
        var lines: [String] = []
        func row(_ label: String, _ value: String) { lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value) }
        row("model", "\(inspection.path) (\(sourceDescription(inspection.tensorSource)))")
        row("architecture", config.architecture + (inspection.modelType.map { " (model_type \($0))" } ?? ""))
        row("shape", "hidden \(config.hiddenSize), head_dim \(config.headDim), vocab \(config.vocabularySize), "
            + "context \(config.contextLength), \(ropeDescription(config.rope))")
        if let defaults = inspection.generationDefaults {
            let fields = defaults.fields.entries.map { "\($0.key) \(compactJSON($0.value))" }.joined(separator: ", ")
            row("generation", "\(HFGenerationDefaults.fileName), reported, not applied: \(fields)")
        }
        let attention = inspection.attentionLayerCount
        row("layers", "\(config.layers.count): \(attention) with attention, \(config.layers.count - attention) without")
        for run in LayerRun.runs(of: config.layers) {
            let range = run.layers.count == 1 ? "\(run.layers.lowerBound)" : "\(run.layers.lowerBound)-\(run.layers.upperBound)"
            row("  " + range, run.layer.description)
        }
        row("parameters", grouped(inspection.parameterCount) + (scaled(inspection.parameterCount).map { " (\($0))" } ?? ""))
        for (i, total) in inspection.typeTotals.enumerated() {
            row(i == 0 ? "tensors" : "", "\(total.typeName): \(total.tensors) tensors, \(grouped(total.elements)) elements, \(bytes(total.bytes))")
        }
        lines.append("memory plan, one sequence of \(grouped(plan.contextLength)) tokens:")
        row("  weights", "\(bytes(plan.weightBytesAsStored)) as stored")
        for quantized in plan.weightBytesQuantized {
            row("", "\(bytes(quantized.bytes)) if quantized to \(quantized.type.name.lowercased()) at load")
        }
        row("  KV cache", "\(bytes(plan.kvBytesPerToken)) per token (F16, \(attention) attention layers), "
            + "\(bytes(plan.kvBytesAtContext)) at \(grouped(plan.contextLength)) tokens")
        return lines.joined(separator: "\n") + "\n"
    }

    static func sourceDescription(_ source: ModelInspection.TensorSource) -> String {
        switch source {
        case .gguf: "GGUF file"
        case .safetensors(let files): "Hugging Face checkpoint, \(files) safetensors file\(files == 1 ? "" : "s")"
        case .config(let dtype, let stated):
            "Hugging Face config without weights: tensors as config.json implies, "
                + (stated ? "\(dtype) from torch_dtype" : "\(dtype) assumed (no torch_dtype)")
        }
    }

    /// A JSON value as one line (`0.6`, `[128001,128009]`).
    static func compactJSON(_ value: JSONValue) -> String {
        (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }

    static func ropeDescription(_ rope: RoPEConfig) -> String {
        let pairing = rope.pairing == .halves ? "rotate-half pairs" : "adjacent pairs"
        var text = "rope theta \(String(format: "%g", rope.base)) (\(pairing)"
        if rope.frequencyDivisors != nil { text += ", llama3 frequency scaling" }
        if rope.scale != 1 { text += ", positions scaled by \(String(format: "%g", rope.scale))" }
        return text + ")"
    }

    /// `49867352064` -> `49,867,352,064`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// A count in billions, millions or thousands (`49.87 B`, `1.54 M`); nil below a thousand.
    static func scaled(_ value: Int) -> String? {
        let number = Double(value)
        if number >= 1e9 { return String(format: "%.2f B", number / 1e9) }
        if number >= 1e6 { return String(format: "%.2f M", number / 1e6) }
        if number >= 1e3 { return String(format: "%.2f K", number / 1e3) }
        return nil
    }

    static func bytes(_ count: Int) -> String {
        "\(grouped(count)) bytes" + (count >= 1024 ? " (\(ByteSize.describe(count)))" : "")
    }
}

/// `genrm inspect --json`: the same report for scripts, sizes in bytes.
struct InspectReport: Encodable {
    struct Layer: Encodable {
        let index: Int
        let attention: String
        let heads: Int?
        let kvHeads: Int?
        let ffn: String
        let ffnWidth: Int?

        enum CodingKeys: String, CodingKey {
            case index, attention, heads, ffn
            case kvHeads = "kv_heads", ffnWidth = "ffn_width"
        }
    }

    struct Run: Encodable {
        let first: Int
        let last: Int
        let description: String
    }

    struct TypeTotal: Encodable {
        let type: String
        let tensors: Int
        let elements: Int
        let bytes: Int
    }

    struct Memory: Encodable {
        let contextLength: Int
        let weightsAsStored: Int
        let weightsQuantized: [String: Int]
        let kvCacheType = "F16"
        let kvBytesPerToken: Int
        let kvBytesAtContext: Int

        enum CodingKeys: String, CodingKey {
            case contextLength = "context_length", weightsAsStored = "weights_as_stored", weightsQuantized = "weights_quantized"
            case kvCacheType = "kv_cache_type", kvBytesPerToken = "kv_bytes_per_token", kvBytesAtContext = "kv_bytes_at_context"
        }
    }

    let path: String
    let source: String
    let architecture: String
    let modelType: String?
    let hiddenSize: Int
    let headDim: Int
    let vocabularySize: Int
    let contextLength: Int
    let attentionLayers: Int
    let layers: [Layer]
    let layerRuns: [Run]
    let parameters: Int
    let tensorTypes: [TypeTotal]
    let memory: Memory
    /// generation_config.json's fields, reported and not applied.
    let generationDefaults: JSONValue?

    enum CodingKeys: String, CodingKey {
        case path, source, architecture, layers, parameters, memory
        case modelType = "model_type", hiddenSize = "hidden_size", headDim = "head_dim", vocabularySize = "vocab_size"
        case contextLength = "context_length", attentionLayers = "attention_layers", layerRuns = "layer_runs"
        case tensorTypes = "tensor_types", generationDefaults = "generation_defaults"
    }

    init(_ inspection: ModelInspection, plan: MemoryPlan) {
        let config = inspection.config
        path = inspection.path
        source = switch inspection.tensorSource {
        case .gguf: "gguf"
        case .safetensors: "safetensors"
        case .config: "config"
        }
        architecture = config.architecture
        modelType = inspection.modelType
        hiddenSize = config.hiddenSize
        headDim = config.headDim
        vocabularySize = config.vocabularySize
        contextLength = config.contextLength
        attentionLayers = inspection.attentionLayerCount
        layers = config.layers.enumerated().map { index, layer in
            let (attention, heads, kvHeads): (String, Int?, Int?) = switch layer.attention {
            case .none: ("none", nil, nil)
            case .linear: ("linear", nil, nil)
            case .multiHead(let heads, let kvHeads): ("multi_head", heads, kvHeads)
            }
            let (ffn, width): (String, Int?) = switch layer.feedForward {
            case .none: ("none", nil)
            case .linear: ("linear", nil)
            case .gated(let width): ("gated", width)
            }
            return Layer(index: index, attention: attention, heads: heads, kvHeads: kvHeads, ffn: ffn, ffnWidth: width)
        }
        layerRuns = LayerRun.runs(of: config.layers).map {
            Run(first: $0.layers.lowerBound, last: $0.layers.upperBound, description: $0.layer.description)
        }
        parameters = inspection.parameterCount
        generationDefaults = inspection.generationDefaults.map { .object($0.fields) }
        tensorTypes = inspection.typeTotals.map { TypeTotal(type: $0.typeName, tensors: $0.tensors, elements: $0.elements, bytes: $0.bytes) }
        memory = Memory(
            contextLength: plan.contextLength, weightsAsStored: plan.weightBytesAsStored,
            weightsQuantized: Dictionary(uniqueKeysWithValues: plan.weightBytesQuantized.map { ($0.type.name.lowercased(), $0.bytes) }),
            kvBytesPerToken: plan.kvBytesPerToken, kvBytesAtContext: plan.kvBytesAtContext)
    }
}
