import Foundation
import GenRM
import Remote

/// `genrm serve --backend ...`: the server's API over a pool of remote OpenAI-compatible servers
/// instead of a local model. Judging runs the protocol's judge over ``RemoteJudgeBackend``; chat
/// completions pass through to a backend.
struct Gateway: Sendable {
    let pool: BackendPool
    let backend: RemoteJudgeBackend
    /// Unix time the gateway started (`created` of its model).
    let created = Int(Date().timeIntervalSince1970)

    init(pool: BackendPool, mode: BackendPromptMode) {
        self.pool = pool
        backend = RemoteJudgeBackend(pool: pool, mode: mode)
    }
}
