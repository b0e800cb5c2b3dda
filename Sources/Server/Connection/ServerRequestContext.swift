import Hummingbird
import NIOCore

/// What every route gets beside the request: Hummingbird's core context, the connection the
/// request came on (so work can stop when its client hangs up, see ``HangUpCancellation``), and
/// the body limit (`--max-request-bytes`, set by ``RequestSizeLimit``) as Hummingbird's own
/// `maxUploadSize`.
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    var maxUploadSize = ServerConfiguration.defaultMaxRequestBytes

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
