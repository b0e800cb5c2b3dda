import Engine
import Foundation
import GenRM
import Remote

/// Where judgments come from, decided once for every command: a pool of remote servers when
/// backends are given, else the embedded engine on a local model. No command builds a backend
/// itself.
enum JudgeSource {
    case embedded(EmbeddedModel)
    case remote(BackendPool, BackendPromptMode)

    /// Loads the model or starts the pool and waits for a first healthy backend.
    static func open(engine: EngineArguments, remote: BackendArguments) async throws -> JudgeSource {
        guard remote.isRemote else { return .embedded(try engine.load()) }
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
    func backend() throws -> any JudgeBackend {
        switch self {
        case .embedded(let model): try EmbeddedJudgeBackend(model: model)
        case .remote(let pool, let mode): RemoteJudgeBackend(pool: pool, mode: mode)
        }
    }

    /// Closes the pool's connections (nothing to do for the engine).
    func close() async {
        if case .remote(let pool, _) = self { await pool.shutdown() }
    }

    /// Runs `body` with a judge over this source, then closes it.
    static func withJudge<T>(
        engine: EngineArguments, remote: BackendArguments, builder: JudgePromptBuilder, _ body: (Judge) async throws -> T
    ) async throws -> T {
        let source = try await open(engine: engine, remote: remote)
        do {
            let result = try await body(Judge(backend: try source.backend(), promptBuilder: builder))
            await source.close()
            return result
        } catch {
            await source.close()
            throw error
        }
    }
}
