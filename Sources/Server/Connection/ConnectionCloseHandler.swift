import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// A connection closes only after a response that says `Connection: close`, and every response
/// after which it closes says so, so that clients (connection pools, the `openai` package) never
/// send a request into a connection being closed:
/// - a response saying `Connection: close` (a 413, broken framing) is followed by the close here;
/// - the answer to a request that asked to close says so (Hummingbird then closes);
/// - once the server shuts down, responses say so (Hummingbird closes after the last one).
final class ConnectionCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// For each request read and not yet answered, in order: whether it asked to close.
    private var requestsAskingToClose: [Bool] = []
    private var shuttingDown = false
    private var closesAfterThisResponse = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            requestsAskingToClose.append(Self.saysClose(head.headerFields))
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent { shuttingDown = true }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.kind != .informational:
            let askedToClose = requestsAskingToClose.isEmpty ? false : requestsAskingToClose.removeFirst()
            if askedToClose || shuttingDown { head.headerFields[.connection] = "close" }
            closesAfterThisResponse = Self.saysClose(head.headerFields)
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where closesAfterThisResponse:
            let written = promise ?? context.eventLoop.makePromise()
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        default:
            context.write(data, promise: promise)
        }
    }

    static func saysClose(_ fields: HTTPFields) -> Bool {
        fields[values: .connection].contains { $0.lowercased() == "close" }
    }
}
