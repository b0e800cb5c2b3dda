import Engine
import Foundation
import GenRM
import Remote

/// Where judgments come from, decided once for every command: a pool of remote servers when
/// backends are given, else the embedded engine on a local model. No command builds a backend
/// itself.
enum JudgeSource {
    /// The model and the batch scheduler every embedded judgment runs on.
    case embedded(EmbeddedModel, BatchScheduler)
    case remote(BackendPool, BackendPromptMode)

    /// Loads the model and starts its scheduler with the limits `limits` gives for it (default:
    /// a command's, `sequences` decoding at once), or starts the pool and waits for a first
    /// healthy backend.
    static func open(
        engine: EngineArguments, remote: BackendArguments, sequences: Int = 16,
        limits: ((EmbeddedModel) -> BatchScheduler.Limits)? = nil
    ) async throws -> JudgeSource {
        guard remote.isRemote else {
            let model = try engine.load()
            let scheduler = BatchScheduler(
                model: model.network, tokenizer: model.tokenizer,
                limits: engine.applyingMemoryBudget(limits?(model) ?? EngineArguments.commandLimits(for: model, sequences: sequences)))
            scheduler.start()
            return .embedded(model, scheduler)
        }
        if engine.model != nil {
            throw CLIFailure("--model and --backend exclude each other: with backends no local model is loaded")
        }
        let pool = try BackendPool(try remote.poolConfiguration())
        engine.progress("waiting for a healthy backend among \(pool.endpoints.map(\.baseURL).joined(separator: ", "))")
        do {
            try await pool.waitUntilReady()
        } catch {
            await pool.shutdown()
            throw error
        }
        let ready = pool.status.filter(\.healthy).map(\.url)
        engine.progress("judging with \(pool.modelName) on \(ready.count) of \(pool.endpoints.count) backend(s) (\(remote.backendPrompt.rawValue) prompts)")
        return .remote(pool, remote.backendPrompt)
    }

    /// The judge's backend over this source.
    func backend() -> any JudgeBackend {
        switch self {
        case .embedded(let model, let scheduler): EmbeddedJudgeBackend(model: model, scheduler: scheduler)
        case .remote(let pool, let mode): RemoteJudgeBackend(pool: pool, mode: mode)
        }
    }

    /// Closes the pool's connections, or ends the engine's scheduler thread.
    func close() async {
        switch self {
        case .embedded(_, let scheduler): scheduler.shutdown()
        case .remote(let pool, _): await pool.shutdown()
        }
    }

    /// Runs `body` with a judge over this source, then closes it.
    static func withJudge<T>(
        engine: EngineArguments, remote: BackendArguments, builder: JudgePromptBuilder, sequences: Int = 16,
        _ body: (Judge) async throws -> T
    ) async throws -> T {
        let source = try await open(engine: engine, remote: remote, sequences: sequences)
        do {
            let result = try await body(Judge(backend: source.backend(), promptBuilder: builder))
            await source.close()
            return result
        } catch {
            await source.close()
            throw error
        }
    }
}
