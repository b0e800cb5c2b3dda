import Foundation
import GenRM
import Hummingbird

/// `POST /v1/judge`: structured judging. The protocol's judge (votes, position swap, parsing,
/// aggregation) over the scheduler; the answer is the judge's result as JSON.
struct JudgeRoute: Sendable {
    let served: ServedModel
    let metrics: ServerMetrics

    func respond(_ request: Request, _ context: some RequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: ChatCompletionsRoute.maximumBody)
        let configuration = served.configuration
        let judgeRequest = try JudgeAPIRequest(
            body: Data(body.readableBytesView), structuredByDefault: configuration.structuredJudging,
            reasoningTokens: configuration.reasoningTokens, analysisTokens: configuration.analysisTokens)
        try served.checkModel(judgeRequest.model)
        let judge = Judge(backend: ScheduledJudgeBackend(served: served), promptBuilder: configuration.promptBuilder)
        let result = try await request.body.consumeWithCancellationOnInboundClose { _ in
            try await judge.judge(judgeRequest.request, votes: judgeRequest.votes, swap: judgeRequest.swap, settings: judgeRequest.settings)
        }
        metrics.recordTokens(prompt: result.promptTokens, generated: result.completionTokens)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try ServerJSON.data(result))))
    }
}
