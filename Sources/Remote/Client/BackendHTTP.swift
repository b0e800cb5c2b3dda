import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// HTTP to OpenAI-compatible servers over AsyncHTTPClient: JSON in, status and bytes out, every
/// failure classified as a ``BackendFailure`` (cancellation stays a `CancellationError`, so a
/// client that hangs up cancels the backend request too).
public final class BackendHTTP: Sendable {
    let client: HTTPClient
    let apiKey: String?

    /// - connectTimeout: how long a connection may take to open.
    /// - connectionsPerBackend: connections kept per server (at least the requests in flight).
    public init(apiKey: String?, connectTimeout: Duration = .seconds(5), connectionsPerBackend: Int = 64) {
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .nanoseconds(Int64(connectTimeout.nanoseconds))))
        // Idle connections are retired after 4 s, before servers close them: uvicorn (vLLM) and
        // genrm serve drop a keep-alive connection idle for 5 s, and a request written onto one
        // the server is closing fails.
        configuration.connectionPool = .init(
            idleTimeout: .seconds(4), concurrentHTTP1ConnectionsPerHostSoftLimit: max(connectionsPerBackend, 1))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.apiKey = apiKey
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// A whole answer.
    public struct Reply: Sendable {
        public var status: Int
        public var body: Data
    }

    public func get(_ url: String, backend: String, timeout: Duration) async throws -> Reply {
        try await send(HTTPClientRequest(url: url), backend: backend, timeout: timeout)
    }

    public func post(_ url: String, json: Data, backend: String, timeout: Duration) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: json))
        return try await send(request, backend: backend, timeout: timeout)
    }

    /// The answer's head, for relaying a response as it arrives (streams); the body is read by
    /// the caller within `timeout` of the request's start.
    public func open(_ request: HTTPClientRequest, backend: String, timeout: Duration) async throws -> HTTPClientResponse {
        var request = request
        authorize(&request)
        do {
            return try await client.execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
        } catch {
            throw Self.classify(error, backend: backend, timeout: timeout)
        }
    }

    private func send(_ request: HTTPClientRequest, backend: String, timeout: Duration) async throws -> Reply {
        let response = try await open(request, backend: backend, timeout: timeout)
        do {
            let body = try await response.body.collect(upTo: 256 << 20)
            return Reply(status: Int(response.status.code), body: Data(buffer: body))
        } catch {
            throw Self.classify(error, backend: backend, timeout: timeout)
        }
    }

    /// The model ids `GET /v1/models` lists.
    public func models(of endpoint: BackendEndpoint, timeout: Duration) async throws -> [String] {
        let url = endpoint.baseURL
        let reply = try await get(endpoint.url("/models"), backend: url, timeout: timeout)
        guard reply.status == 200 else {
            throw BackendFailure.status(backend: url, code: reply.status, message: OpenAIWire.errorMessage(reply.body))
        }
        guard let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
              let data = object["data"] as? [[String: Any]] else {
            throw BackendFailure.malformed(backend: url, reason: "GET /v1/models is not {\"data\": [...]}")
        }
        return data.compactMap { $0["id"] as? String }
    }

    private func authorize(_ request: inout HTTPClientRequest) {
        if let apiKey, !apiKey.isEmpty { request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(apiKey)") }
    }

    /// A transport error as a ``BackendFailure``; cancellation passes through.
    static func classify(_ error: any Error, backend: String, timeout: Duration) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if let error = error as? BackendFailure { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return BackendFailure.timedOut(backend: backend, seconds: timeout.seconds)
            case .connectTimeout:
                return BackendFailure.refused(backend: backend, reason: "connect timed out")
            case .cancelled:
                return CancellationError()
            default:
                break
            }
        }
        let text = "\(error)"
        // NIO reports a refused connect as an IOError with errno ECONNREFUSED.
        if text.contains("Connection refused") || text.contains("errno: 111") {
            return BackendFailure.refused(backend: backend, reason: "connection refused")
        }
        return BackendFailure.unreachable(backend: backend, reason: text)
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's `TimeAmount` and AsyncHTTPClient's timeouts.
    public var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
