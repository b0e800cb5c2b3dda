import NIOCore
import NIOHTTPTypes

/// Watches one connection for its client going away: the end of its stream (NIO's
/// `inputClosed`; Hummingbird allows half-closure), a reset, or the connection closing. It only
/// watches events and never reads the request parts, so a pipelined request behind the one being
/// answered stays where Hummingbird's connection loop will read it (Hummingbird's own
/// `consumeWithCancellationOnInboundClose` reads them, and drops the next request's head).
final class ClientHangUpHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let hangUp = ClientHangUp()

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { hangUp.signal() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        hangUp.signal()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        hangUp.signal()
    }
}
