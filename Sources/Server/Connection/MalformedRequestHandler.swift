import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// A request head the HTTP parser rejects never reaches a route: Hummingbird answers it itself
/// with an empty 400 and closes. This fills that answer in with the OpenAI error body naming the
/// problem ("malformed HTTP request: ..."), as the routes answer a body whose framing breaks.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var parserError: HTTPParserError?
    /// The error body, between the head it was announced in and the end of that response.
    private var pendingBody: ByteBuffer?

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError { parserError = error }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where parserError != nil && Self.isEmptyBadRequest(head):
            let body = ByteBuffer(bytes: OpenAIError.malformedRequest(parserError!).body)
            head.headerFields[.contentType] = "application/json"
            head.headerFields[.contentLength] = "\(body.readableBytes)"
            pendingBody = body
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where pendingBody != nil:
            context.write(wrapOutboundOut(.body(pendingBody!)), promise: nil)
            pendingBody = nil
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }

    /// Hummingbird's parse-error answer: 400, no body, no content type.
    static func isEmptyBadRequest(_ head: HTTPResponse) -> Bool {
        head.status == .badRequest && head.headerFields[.contentType] == nil && (head.headerFields[.contentLength] ?? "0") == "0"
    }
}
