import Hummingbird

/// Work that stops when the client hangs up. Hummingbird's `consumeWithCancellationOnInboundClose`
/// does that by taking over the connection's inbound stream, so the connection closes once the
/// response is sent; the response says so (`Connection: close`), and keep-alive clients (a
/// gateway's connection pool, the `openai` package) open a new connection instead of reusing one
/// that is closing.
enum HangUpCancellation {
    /// Runs `operation`, cancelled if the client of `request` goes away first.
    static func run<Value: Sendable>(_ request: Request, _ operation: () async throws -> Value) async throws -> Value {
        try await request.body.consumeWithCancellationOnInboundClose { _ in try await operation() }
    }

    /// The headers of a response sent after (or while) `run` watched the connection.
    static func closing(_ headers: HTTPFields) -> HTTPFields {
        var headers = headers
        headers[.connection] = "close"
        return headers
    }

    static func closing(_ response: Response) -> Response {
        var response = response
        response.headers = closing(response.headers)
        return response
    }
}
