import ArgumentParser
import Catalog
import Engine
import Foundation
import GenRM

/// Options of every command that runs the embedded engine: which model, how many threads, how
/// long a context, and whether to report progress.
struct EngineArguments: ParsableArguments {
    @Option(help: "GGUF model file (default: the embedded default, \(KnownModel.embeddedDefault.fileName), from the cache).")
    var model: String?

    @Option(parsing: .unconditional, help: "Worker threads (default: the machine's cores).")
    var threads: Int?

    @Option(parsing: .unconditional, help: "Context length in tokens (default: the model's; more is allowed, with a warning).")
    var maxModelLen: Int?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be >= 1, not \(threads)") }
        if let maxModelLen, maxModelLen < 1 { throw ValidationError("--max-model-len must be >= 1, not \(maxModelLen)") }
    }

    /// The model path: --model, else the cached embedded default (an error says how to fetch it).
    func modelPath() throws -> String {
        if let model { return model }
        return try ModelCache.fromEnvironment().require(.embeddedDefault).path
    }

    func load() throws -> EmbeddedModel {
        let path = try modelPath()
        let clock = ContinuousClock()
        let start = clock.now
        progress("loading \(path)")
        let pool = threads.map { ThreadPool(threadCount: $0) } ?? .shared
        let loaded = try EmbeddedModel(path: path, contextLength: maxModelLen, pool: pool)
        if let maxModelLen, maxModelLen > loaded.network.config.contextLength {
            progress("warning: --max-model-len \(maxModelLen) exceeds the model's training context \(loaded.network.config.contextLength)")
        }
        progress("loaded \(loaded.name) (\(loaded.network.config.architecture), \(loaded.network.config.layers.count) layers) in \(Self.seconds(since: start, clock)), \(KernelISA.selected) kernels")
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
