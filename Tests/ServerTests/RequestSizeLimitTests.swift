import Foundation
import Testing

/// `--max-request-bytes`: a body over the limit is refused with 413 naming the limit, by its
/// Content-Length before a byte of it is read, or (chunked) as soon as the running count passes
/// the limit; nothing of it is tokenized, and the connection closes saying so.
@Suite struct RequestSizeLimitTests {
    static let small: Task<RunningServer, any Error> = Task {
        try await TestServers.start(try await TestServers.configuration { $0.maxRequestBytes = 1000 })
    }

    /// A 20 MB body (over the 16 MiB default) was read and tokenized for 17 s before its 400; its
    /// head alone now gets the 413, with the body never sent.
    @Test func aBodyOverTheDefaultLimitIsRefusedByItsContentLength() async throws {
        let server = try await TestServers.standard.value
        let (reply, after) = try await KeepAliveConnection.exchange(port: server.port) { connection in
            try connection.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{")
            return (try connection.response(), connection.next(within: 10))
        }
        try BadRequestTests.expectError(reply, status: 413, param: nil, contains: "20000000 bytes")
        try BadRequestTests.expectError(reply, status: 413, param: nil, contains: "limit of 16777216 bytes (--max-request-bytes)")
        #expect(reply.headers["connection"] == "close")
        #expect(after == .closed)
    }

    @Test(arguments: ["/v1/chat/completions", "/v1/judge", "/v1/rewards"])
    func everyRouteHasTheLimit(_ path: String) async throws {
        let server = try await Self.small.value
        let reply = try await LoopbackHTTP.post(port: server.port, path: path, raw: "{\"pad\": \"\(String(repeating: "x", count: 1200))\"}")
        try BadRequestTests.expectError(reply, status: 413, param: nil, contains: "limit of 1000 bytes (--max-request-bytes)")
    }

    /// A chunked body has no length up front: it is refused once the chunks pass the limit,
    /// without waiting for its end (which never comes here).
    @Test func aChunkedBodyIsRefusedOnceItPassesTheLimit() async throws {
        let server = try await Self.small.value
        let (reply, after) = try await KeepAliveConnection.exchange(port: server.port) { connection in
            try connection.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = String(repeating: "x", count: 600)
            try connection.write("258\r\n\(chunk)\r\n")
            try connection.write("258\r\n\(chunk)\r\n")
            return (try connection.response(), connection.next(within: 10))
        }
        try BadRequestTests.expectError(reply, status: 413, param: nil, contains: "limit of 1000 bytes (--max-request-bytes)")
        #expect(reply.headers["connection"] == "close")
        #expect(after == .closed)
    }

    @Test func aBodyWithinTheLimitIsServed() async throws {
        let server = try await Self.small.value
        let body = Bodies.with(Bodies.chat, ["max_tokens": 2, "pad": String(repeating: "x", count: 700)])
        let size = try JSONSerialization.data(withJSONObject: body).count
        #expect(size > 800 && size <= 1000)
        let reply = try await server.post("/v1/chat/completions", body)
        #expect(reply.status == 200, "\(reply.text)")
    }
}
