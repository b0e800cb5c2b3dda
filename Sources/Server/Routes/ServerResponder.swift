import Foundation
import Hummingbird

/// The outermost responder: every error, the router's own 404/405/413 included, leaves as an
/// OpenAI error body (never Hummingbird's default, never an empty 500), and every request is
/// counted and timed by route and status.
struct ServerResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context: RequestContext {
    typealias Context = Inner.Context
    let inner: Inner
    let metrics: ServerMetrics

    func respond(to request: Request, context: Context) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        var response: Response
        do {
            response = try await inner.respond(to: request, context: context)
            // The router answers unknown paths and methods itself, with an empty body.
            if response.status.code >= 400, response.headers[.contentType] == nil, request.uri.path != "/health" {
                response = try OpenAIError(status: response.status, message: Self.defaultMessage(response.status))
                    .response(from: request, context: context)
            }
        } catch {
            let failure = Self.openAIError(error)
            if failure.status.code >= 500 && failure.status.code != 503 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            }
            response = try failure.response(from: request, context: context)
        }
        metrics.recordRequest(route: Self.route(request.uri.path), status: response.status.code, duration: start.duration(to: clock.now))
        context.logger.info("\(request.method) \(request.uri.path) \(response.status.code)")
        return response
    }

    static func openAIError(_ error: any Error) -> OpenAIError {
        if let error = error as? HTTPError {
            let message = error.body ?? defaultMessage(error.status)
            return OpenAIError(status: error.status, message: message)
        }
        if error is CancellationError {
            return OpenAIError(status: .init(code: 499, reasonPhrase: "Client Closed Request"), message: "the client closed the request")
        }
        return .from(error)
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "no such route; the API is /v1/chat/completions, /v1/judge, /v1/rewards, /v1/models, /health, /metrics, /openapi.json"
        case 405: "this route does not accept that method"
        case 413: "the request body is too large"
        default: status.reasonPhrase
        }
    }

    /// Known routes by name, everything else as one label, so metrics stay bounded.
    static func route(_ path: String) -> String {
        ["/v1/chat/completions", "/v1/judge", "/v1/rewards", "/v1/models", "/health", "/metrics", "/openapi.json"].contains(path) ? path : "other"
    }
}

/// With an API key set, `/v1/*` needs `Authorization: Bearer <key>` (401 otherwise).
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(key)" else {
            throw OpenAIError.unauthorized("missing or wrong API key: send `Authorization: Bearer <key>`")
        }
        return try await next(request, context)
    }
}
