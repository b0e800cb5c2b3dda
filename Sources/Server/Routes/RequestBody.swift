import Foundation
import Hummingbird

extension Request {
    /// The whole body, up to the server's `--max-request-bytes`, for a request parser.
    mutating func bodyData(_ context: ServerRequestContext) async throws -> Data {
        Data(try await collectBody(upTo: context.maxUploadSize).readableBytesView)
    }
}

extension ServerRequestContext {
    /// Fields a request carried that the route does not know: logged, never refused (vLLM's way).
    func logIgnored(_ fields: [String]) {
        if !fields.isEmpty { logger.info("ignored unknown fields: \(fields.joined(separator: ", "))") }
    }
}
