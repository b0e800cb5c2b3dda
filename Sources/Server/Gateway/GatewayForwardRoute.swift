import AsyncHTTPClient
import Foundation
import GenRM
import Hummingbird
import NIOCore
import NIOFoundationCompat
import Remote

/// A route a gateway forwards to a backend: `/v1/chat/completions`, `/v1/completions`, and
/// vLLM's `/tokenize` and `/detokenize` (at the backend's root). The client's body goes to a
/// backend unchanged but for `model` (the backend's own id), and the backend's answer comes back
/// as it is, streams included. Until the answer's head arrives, connection errors and 408/429/5xx
/// are retried on another backend; a backend's other 4xx is passed through with its message. A
/// GenRM judging chat request (response roles) prefers the backend its pair went to (affinity). A
/// client that hangs up cancels the backend request.
struct GatewayForwardRoute: Sendable {
    let gateway: Gateway
    let service: JudgeService
    let metrics: ServerMetrics
    /// Where on a backend the body goes.
    let target: Target

    enum Target: Sendable {
        /// Under the API base (`/chat/completions`).
        case api(String)
        /// Under the backend's root (`/tokenize`).
        case root(String)

        func url(_ endpoint: BackendEndpoint) -> String {
            switch self {
            case .api(let path): endpoint.url(path)
            case .root(let path): endpoint.root + path
            }
        }
    }

    func respond(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var request = request
        let body = try await request.bodyData(context)
        guard var object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw OpenAIError.badRequest("the request body must be a JSON object")
        }
        if let model = object["model"], !(model is String || model is NSNull) {
            throw OpenAIError.badRequest("`model` must be a string", param: "model")
        }
        try service.configuration.checkModel(object["model"] as? String)
        let streams = object["stream"] as? Bool ?? false
        let affinity = object["messages"] == nil ? nil : (try? JudgeRequest(json: body))?.affinityKey
        // One body per model id the backends serve (they usually agree).
        var bodies: [String: Data] = [:]
        for model in Set(gateway.pool.status.compactMap(\.model)) {
            object["model"] = model
            bodies[model] = try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
        }
        let pool = gateway.pool
        let timeout = pool.configuration.requestTimeout
        let path = self.target
        let (answer, lease) = try await pool.sendHolding(affinity: affinity) { [bodies] target in
            var outbound = HTTPClientRequest(url: path.url(target.endpoint))
            outbound.method = .POST
            outbound.headers.add(name: "Content-Type", value: "application/json")
            outbound.body = .bytes(ByteBuffer(bytes: bodies[target.model] ?? body))
            let response = try await pool.http.open(outbound, backend: target.endpoint.baseURL, timeout: timeout)
            let status = Int(response.status.code)
            if BackendFailure.retryableStatuses.contains(status) {
                let text = (try? await response.body.collect(upTo: 1 << 20)).map { Data(buffer: $0) } ?? Data()
                throw BackendFailure.status(backend: target.endpoint.baseURL, code: status, message: OpenAIWire.errorMessage(text))
            }
            return response
        }
        let status = HTTPResponse.Status(code: Int(answer.status.code))
        var headers = HTTPFields()
        headers[.contentType] = answer.headers.first(name: "Content-Type") ?? "application/json"
        guard streams, status == .ok else {
            let bytes: ByteBuffer
            do {
                bytes = try await HangUpCancellation.run(on: context.channel) { try await answer.body.collect(upTo: 256 << 20) }
            } catch {
                lease.release(outcome: "retried")
                throw error is CancellationError ? error : OpenAIError(status: .badGateway, message: "the backend's answer broke off: \(error)")
            }
            lease.release(outcome: status == .ok ? "ok" : "rejected")
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: bytes))
        }
        headers[.cacheControl] = "no-cache"
        let channel = context.channel
        return Response(status: .ok, headers: headers, body: ResponseBody { output in
            defer { lease.release() }
            try await HangUpCancellation.run(on: channel) {
                for try await chunk in answer.body { try await output.write(chunk) }
            }
            try await output.finish(nil)
        })
    }
}
