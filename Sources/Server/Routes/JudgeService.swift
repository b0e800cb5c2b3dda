import Engine
import GenRM

/// What the judging routes (`/v1/judge`, `/v1/rewards`) run on: the protocol's judge over the
/// server's backend (the scheduler for the embedded engine, the pool for a gateway), and the
/// configuration that names the served model and the structured-judging defaults.
struct JudgeService: Sendable {
    let judge: Judge
    let configuration: ServerConfiguration

    /// Runs judging work; a scheduler refusal names `votes`, the field that set its choices.
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SchedulerError {
            throw OpenAIError(error, choicesField: "votes")
        }
    }
}

extension ServerConfiguration {
    /// 404 when a request names a model this server does not serve (no name means this one).
    func checkModel(_ requested: String?) throws(OpenAIError) {
        guard let requested, requested != servedModelName else { return }
        throw .notFound("The model `\(requested)` does not exist.", param: "model")
    }
}
