import Hummingbird
import NIOCore

/// `--max-request-bytes`: a body whose Content-Length is over the limit is refused (413) before
/// a byte of it is read; every other body is read through Hummingbird's `collect(upTo:)` with the
/// limit set here as the context's `maxUploadSize`, which stops a chunked body as soon as its
/// running count passes it. Either way nothing of it is parsed or tokenized, and the connection
/// closes after the 413 (the rest of the body is not read).
struct RequestSizeLimit: RouterMiddleware {
    typealias Context = ServerRequestContext
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBytes {
            throw OpenAIError.bodyTooLarge(declaredBytes: declared, maxBytes: maxBytes)
        }
        var context = context
        context.maxUploadSize = maxBytes
        do {
            return try await next(request, context)
        } catch is NIOTooManyBytesError {
            // Caught here, inside the router, which would answer it with an empty 413. (Its
            // `maxBytes` can be what was left of the limit after the first part, not the limit.)
            throw OpenAIError.bodyTooLarge(maxBytes: maxBytes)
        }
    }
}
