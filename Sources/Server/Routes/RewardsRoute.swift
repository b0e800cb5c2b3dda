import Foundation
import GenRM
import Hummingbird

/// `POST /v1/rewards`: one reward per candidate of a group from pairwise judgments, every
/// comparison at once over the server's backend (see ``GroupRewards``).
struct RewardsRoute: Sendable {
    let service: JudgeService
    let metrics: ServerMetrics

    func respond(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var request = request
        let data = try await request.bodyData(context)
        let configuration = service.configuration
        let runnable: RewardsRequest
        do {
            runnable = try RewardsRequest(
                json: data,
                base: JudgeSettings(
                    structured: configuration.structuredJudging, reasoningTokens: configuration.reasoningTokens,
                    analysisTokens: configuration.analysisTokens))
        } catch {
            throw OpenAIError.badRequest(error.description, param: error.field)
        }
        try configuration.checkModel(runnable.model)
        let (judge, service) = (service.judge, service)
        let result = try await HangUpCancellation.run(on: context.channel) { try await service.run { try await GroupRewards.run(runnable, judge: judge) } }
        metrics.recordTokens(prompt: result.promptTokens, generated: result.completionTokens)
        return InfoRoutes.json(try ServerJSON.data(result))
    }
}
