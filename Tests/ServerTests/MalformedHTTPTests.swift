import Foundation
import Testing

/// A request head the HTTP parser rejects (request line, header syntax, framing headers) is
/// answered 400 with the OpenAI error body "malformed HTTP request: ..." and `Connection: close`,
/// like a body whose framing breaks; it was an empty 400. Never a 500, never silence.
@Suite struct MalformedHTTPTests {
    static let heads: [String] = [
        "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        "GET /health\r\nHost: x\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n  b\r\n\r\n",
        "POST /v1/judge HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        "POST /v1/judge HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        "G@T /health HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Nul: a\u{0}b\r\n\r\n",
    ]

    @Test(arguments: heads) func aMalformedHeadIsAJSON400(_ head: String) async throws {
        let server = try await TestServers.standard.value
        let (reply, after) = try await KeepAliveConnection.exchange(port: server.port) { connection in
            try connection.write(head)
            return (try connection.response(), connection.next(within: 10))
        }
        try BadRequestTests.expectError(reply, status: 400, param: nil, contains: "malformed HTTP request: ")
        #expect(reply.headers["content-type"] == "application/json")
        #expect(reply.headers["connection"] == "close")
        #expect(after == .closed)
    }

    /// After a good request on the same connection, the malformed one behind it still gets its
    /// JSON 400, after the first answer.
    @Test func aMalformedHeadBehindAGoodRequest() async throws {
        let server = try await TestServers.standard.value
        let (first, second) = try await KeepAliveConnection.exchange(port: server.port) { connection in
            try connection.write(RawRequests.health + "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
            return (try connection.response(), try connection.response())
        }
        #expect(first.status == 200)
        try BadRequestTests.expectError(second, status: 400, param: nil, contains: "malformed HTTP request: ")
    }
}
