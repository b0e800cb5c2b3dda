import Foundation
import Hummingbird

/// An error as OpenAI-compatible servers report it: HTTP status `code` and the body
/// `{"error": {"message", "type", "param", "code"}}`. Every failure the server sends uses this
/// shape, so clients (the `openai` package) raise their typed errors with the message.
public struct OpenAIError: Error, Sendable, Equatable, HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let message: String
    /// The request field the problem is in (`messages`, `max_tokens`, ...), if one is to blame.
    public let param: String?
    /// For 405: the method the route takes, sent as `Allow`.
    public let allow: HTTPRequest.Method?

    public init(status: HTTPResponse.Status, message: String, param: String? = nil, allow: HTTPRequest.Method? = nil) {
        self.status = status
        self.message = message
        self.param = param
        self.allow = allow
    }

    public static func badRequest(_ message: String, param: String? = nil) -> OpenAIError {
        OpenAIError(status: .badRequest, message: message, param: param)
    }

    public static func notFound(_ message: String, param: String? = nil) -> OpenAIError {
        OpenAIError(status: .notFound, message: message, param: param)
    }

    public static func unauthorized(_ message: String) -> OpenAIError {
        OpenAIError(status: .unauthorized, message: message)
    }

    public static func overloaded(_ message: String) -> OpenAIError {
        OpenAIError(status: .serviceUnavailable, message: message)
    }

    public static func internalError(_ message: String) -> OpenAIError {
        OpenAIError(status: .internalServerError, message: message)
    }

    /// The error class name the `openai` package uses for this status.
    public var type: String {
        switch status.code {
        case 400: "BadRequestError"
        case 401: "AuthenticationError"
        case 404: "NotFoundError"
        case 405: "MethodNotAllowedError"
        case 413: "RequestTooLargeError"
        case 503: "ServiceUnavailableError"
        case 500...: "InternalServerError"
        default: "APIError"
        }
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    /// `{"error": {...}}` as JSON bytes.
    public var body: Data {
        let error: [String: Any] = [
            "message": message, "type": type, "param": param.map { $0 as Any } ?? NSNull(), "code": status.code,
        ]
        return (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])) ?? Data()
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let allow { headers[.allow] = allow.rawValue }
        // Overload and shutdown pass: a client may try again shortly (vLLM's clients back off).
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
