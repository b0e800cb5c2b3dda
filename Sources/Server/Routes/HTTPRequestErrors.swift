import Hummingbird
import NIOHTTP1

/// Requests refused for what they are on the wire, before any field is read.
extension OpenAIError {
    /// A body over `--max-request-bytes` by its Content-Length.
    static func bodyTooLarge(declaredBytes: Int, maxBytes: Int) -> OpenAIError {
        OpenAIError(status: .contentTooLarge,
                    message: "the request body of \(declaredBytes) bytes is over the server's limit of \(maxBytes) bytes (--max-request-bytes)")
    }

    /// A body whose bytes passed `--max-request-bytes` while it was read (chunked).
    static func bodyTooLarge(maxBytes: Int) -> OpenAIError {
        OpenAIError(status: .contentTooLarge, message: "the request body is over the server's limit of \(maxBytes) bytes (--max-request-bytes)")
    }

    /// What the HTTP parser found wrong, in words, with its own name for it.
    static func malformedRequest(_ error: HTTPParserError) -> OpenAIError {
        let what = switch error {
        case .invalidCharactersUsed: "a character not allowed where it is"
        case .invalidVersion: "no valid HTTP version on the request line"
        case .invalidMethod: "an invalid method"
        case .invalidURL: "an invalid request target"
        case .invalidHeaderToken: "a header line that is not `Name: value`"
        case .invalidContentLength: "an invalid Content-Length"
        case .unexpectedContentLength: "a Content-Length that is repeated or not allowed here"
        case .invalidChunkSize: "an invalid chunk size"
        case .lfExpected: "a line not ended by CRLF"
        case .invalidConstant: "broken request syntax"
        case .headerOverflow: "a request head that is too large"
        case .invalidEOFState: "the connection ended inside the request"
        case .trailingGarbage: "bytes after the end of the request"
        default: "a request the HTTP parser rejects"
        }
        return .badRequest("malformed HTTP request: \(what) (\(error))")
    }
}
