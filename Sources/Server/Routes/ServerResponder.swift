import Foundation
import Hummingbird
import NIOHTTP1

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
            if let refusal = Self.methodRefusal(request, status: response.status) {
                response = try refusal.response(from: request, context: context)
            } else if response.status.code >= 400, response.headers[.contentType] == nil,
                      !(request.method == .get && request.uri.path == "/health") {
                // The router answers unknown paths itself with an empty body (a failing health
                // check's bare 503 is the one empty answer meant).
                response = try OpenAIError(status: response.status, message: Self.defaultMessage(response.status))
                    .response(from: request, context: context)
            }
        } catch {
            let failure = Self.methodRefusal(request, status: (error as? HTTPError)?.status) ?? Self.openAIError(error)
            if failure.status.code >= 500 && failure.status.code != 503 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            }
            response = try failure.response(from: request, context: context)
            // After broken framing nothing more on the connection can be read as a request.
            if error is HTTPParserError { response.headers[.connection] = "close" }
        }
        // Nor after a body left unread (a 413, which the router answers from the error itself).
        if response.status == .contentTooLarge { response.headers[.connection] = "close" }
        metrics.recordRequest(route: Self.route(request.uri.path), status: response.status.code, duration: start.duration(to: clock.now))
        context.logger.info("\(request.method) \(request.uri.path) \(response.status.code)")
        return response
    }

    /// 405 naming the method the route takes (with `Allow`), where the router found no handler
    /// for a known path only because the method was wrong: a GET on /v1/judge is not "no such route".
    static func methodRefusal(_ request: Request, status: HTTPResponse.Status?) -> OpenAIError? {
        guard status == .notFound, let allowed = RouteMethods.byPath[request.uri.path], allowed != request.method else { return nil }
        return OpenAIError(status: .methodNotAllowed, message: "\(request.uri.path) takes \(allowed.rawValue), not \(request.method.rawValue)",
                           allow: allowed)
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
        case 404: "no such route; the API is /v1/chat/completions, /v1/completions, /v1/judge, /v1/rewards, /v1/models, /tokenize, /detokenize, /health, /metrics, /openapi.json"
        case 405: "this route does not accept that method"
        case 413: "the request body is too large"
        default: status.reasonPhrase
        }
    }

    /// Known routes by name, everything else as one label, so metrics stay bounded.
    static func route(_ path: String) -> String {
        RouteMethods.byPath[path] != nil ? path : "other"
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

/// Each route and the one method it takes (for 405 and its `Allow`).
enum RouteMethods {
    static let byPath: [String: HTTPRequest.Method] = [
        "/v1/chat/completions": .post, "/v1/completions": .post, "/v1/judge": .post, "/v1/rewards": .post, "/v1/models": .get,
        "/tokenize": .post, "/detokenize": .post, "/health": .get, "/metrics": .get, "/openapi.json": .get,
    ]
}
