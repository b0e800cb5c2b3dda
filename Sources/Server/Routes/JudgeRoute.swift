import Foundation
import GenRM
import Hummingbird

/// `POST /v1/judge`: the protocol's judge (votes, position swap, parsing, aggregation) over the
/// server's backend; the answer is the judge's result as JSON.
struct JudgeRoute: Sendable {
    let service: JudgeService
    let metrics: ServerMetrics

    func respond(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var request = request
        let judgeRequest = try JudgeAPIRequest(
            body: try await request.bodyData(context), structuredByDefault: service.configuration.structuredJudging,
            reasoningTokens: service.configuration.reasoningTokens, analysisTokens: service.configuration.analysisTokens)
        try service.configuration.checkModel(judgeRequest.model)
        let (judge, service) = (service.judge, service)
        let result = try await HangUpCancellation.run(on: context.channel) {
            try await service.run {
                try await judge.judge(judgeRequest.request, votes: judgeRequest.votes, swap: judgeRequest.swap, settings: judgeRequest.settings)
            }
        }
        metrics.recordTokens(prompt: result.promptTokens, generated: result.completionTokens)
        return InfoRoutes.json(try ServerJSON.data(result))
    }
}
