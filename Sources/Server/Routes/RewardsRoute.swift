import Foundation
import GenRM
import Hummingbird

/// `POST /v1/rewards`: one reward per candidate of a group from pairwise judgments, every
/// comparison at once over the server's backend (see ``GroupRewards``).
struct RewardsRoute: Sendable {
    let service: JudgeService
    let metrics: ServerMetrics

    func respond(_ request: Request, _ context: some RequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: ChatCompletionsRoute.maximumBody)
        let data = Data(body.readableBytesView)
        let rewardsRequest: RewardsRequest
        do {
            rewardsRequest = try RewardsRequest(json: data)
        } catch {
            throw OpenAIError.badRequest(error.description, param: error.field)
        }
        let fields = try JSONFields.parse(data)
        let configuration = service.configuration
        try configuration.checkModel(try fields.string("model"))
        var settings = rewardsRequest.settings
        if try fields.bool("structured") == nil { settings.structured = configuration.structuredJudging }
        if try fields.int("reasoning_tokens") == nil { settings.reasoningTokens = configuration.reasoningTokens }
        if try fields.int("analysis_tokens") == nil { settings.analysisTokens = configuration.analysisTokens }
        var runnable = rewardsRequest
        runnable.settings = settings
        let (judge, service) = (service.judge, service)
        let result = try await HangUpCancellation.run(request) { try await service.run { try await GroupRewards.run(runnable, judge: judge) } }
        metrics.recordTokens(prompt: result.promptTokens, generated: result.completionTokens)
        return HangUpCancellation.closing(InfoRoutes.json(try ServerJSON.data(result)))
    }
}
