import ArgumentParser
import Catalog
import Engine
import Foundation
import Formats
import GenRM

/// Options of every command that runs the embedded engine: which model, how many threads, how
/// long a context, and whether to report progress.
struct EngineArguments: ParsableArguments {
    @Option(help: "GGUF model file or Hugging Face checkpoint directory (default: the embedded default, \(KnownModel.embeddedDefault.fileName), from the cache).")
    var model: String?

    @Option(help: ArgumentHelp(
        "Quantize the model's float matrices as it loads: q8_0 or q4_k (default: run the weights as stored).",
        discussion: "For Hugging Face checkpoints (F32, F16, BF16) and float GGUF files; a GGUF whose matrices are already quantized is refused."))
    var quantize: String?

    @Option(parsing: .unconditional, help: "Worker threads (default: the machine's cores).")
    var threads: Int?

    @Option(parsing: .unconditional, help: "Context length in tokens (default: the model's; more is allowed, with a warning).")
    var maxModelLen: Int?

    @Option(help: ArgumentHelp(
        "Memory the engine may hold for running requests' KV cache and decode buffers, e.g. 4GiB or 512MiB "
            + "(default: 90% of what the system has available once the model is loaded).",
        discussion: "Each request is counted at its largest (prompt plus every token it may generate, for every "
            + "vote or choice): one that could never fit is refused with the numbers, one that fits later waits."))
    var kvCacheMemory: String?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be >= 1, not \(threads)") }
        if let maxModelLen, maxModelLen < 1 { throw ValidationError("--max-model-len must be >= 1, not \(maxModelLen)") }
        _ = try quantizeType()
        if let kvCacheMemory, (ByteSize.parse(kvCacheMemory) ?? 0) < 1 {
            throw ValidationError("--kv-cache-memory must be a size such as 4GiB, 512MiB or 1000000 (bytes), not '\(kvCacheMemory)'")
        }
    }

    /// `limits` with --kv-cache-memory as its memory budget, when given.
    func applyingMemoryBudget(_ limits: BatchScheduler.Limits) -> BatchScheduler.Limits {
        var limits = limits
        if let budget = kvCacheMemory.flatMap(ByteSize.parse) { limits.memoryBudget = budget }
        return limits
    }

    /// The model path: --model (a path, or the name of a fetched model or of a checkpoint
    /// directory named with `genrm models link`), else the cached embedded default (an error
    /// says how to fetch it).
    func modelPath() throws -> String {
        if let model { return ModelCache.fromEnvironment().resolve(model: model) }
        return try ModelCache.fromEnvironment().require(.embeddedDefault).path
    }

    /// --quantize as a type (`q8_0`, `q4_k`, any case).
    func quantizeType() throws -> GGMLType? {
        guard let quantize else { return nil }
        guard let type = LoadQuantizer.choices.first(where: { $0.name.lowercased() == quantize.lowercased() }) else {
            throw ValidationError("--quantize must be one of \(LoadQuantizer.choices.map { $0.name.lowercased() }.joined(separator: ", ")), not '\(quantize)'")
        }
        return type
    }

    func load() throws -> EmbeddedModel {
        let path = try modelPath()
        let clock = ContinuousClock()
        let start = clock.now
        progress("loading \(path)")
        let pool = threads.map { ThreadPool(threadCount: $0) } ?? .shared
        let loaded = try EmbeddedModel(path: path, contextLength: maxModelLen, quantize: try quantizeType(), pool: pool)
        if let maxModelLen, maxModelLen > loaded.network.config.contextLength {
            progress("warning: --max-model-len \(maxModelLen) exceeds the model's training context \(loaded.network.config.contextLength)")
        }
        let quantized = loaded.network.quantization.map { ", \($0)" } ?? ""
        progress("loaded \(loaded.name) (\(loaded.network.config.architecture), \(loaded.network.config.layers.count) layers) in \(Self.seconds(since: start, clock))\(quantized), \(KernelISA.selected) kernels")
        return loaded
    }

    /// The limits of the batch scheduler a command runs the model on: `sequences` decoding at
    /// once at most, every request the command makes queued (a command refuses nothing for
    /// load), at the model's context (--max-model-len).
    static func commandLimits(for model: EmbeddedModel, sequences: Int) -> BatchScheduler.Limits {
        .init(maxRunningSequences: max(16, sequences), maxQueuedRequests: 1 << 20, contextLength: model.contextLength)
    }

    func progress(_ line: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data("genrm: \(line)\n".utf8))
    }

    static func seconds(since start: ContinuousClock.Instant, _ clock: ContinuousClock) -> String {
        String(format: "%.2fs", start.duration(to: clock.now).seconds)
    }
}
