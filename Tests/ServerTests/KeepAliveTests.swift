import Foundation
import Testing

/// HTTP/1.1 persistent connections: pipelined requests are answered in order on their
/// connection, and a connection the server closes is one whose last response said
/// `Connection: close`; after a generation it stays open for the next request. Serialized: the
/// shared server's queue is for the other suites too.
@Suite(.serialized) struct KeepAliveTests {
    static var generations: [(name: String, path: String, body: [String: Any])] { [
        ("chat completion", "/v1/chat/completions", Bodies.with(Bodies.chat, ["max_tokens": 2])),
        ("streamed chat completion", "/v1/chat/completions", Bodies.with(Bodies.chat, ["max_tokens": 2, "stream": true])),
        ("judgment", "/v1/judge", ["messages": Bodies.oneResponse]),
        ("rewards", "/v1/rewards", ["history": [["role": "user", "content": "What is 1+2?"]], "candidates": ["3", "4"]]),
        // Refused by the scheduler inside the generation (more votes than --max-num-seqs 8).
        ("refused judgment", "/v1/judge", ["messages": Bodies.oneResponse, "votes": 9]),
    ] }

    static let names = ["chat completion", "streamed chat completion", "judgment", "rewards", "refused judgment"]

    /// A POST and a GET /health written in one socket write: both answers come, in order (only
    /// the first came, and the connection then stayed open and silent).
    @Test(arguments: names) func pipelinedRequestsAreAnsweredInOrder(_ name: String) async throws {
        let server = try await TestServers.standard.value
        let generation = try #require(Self.generations.first { $0.name == name })
        let post = try RawRequests.post(generation.path, json: generation.body)
        let (first, second) = try await KeepAliveConnection.exchange(port: server.port) { connection in
            try connection.write(post + RawRequests.health)
            return (try connection.response(), try connection.response())
        }
        #expect(first.status == (name == "refused judgment" ? 400 : 200), "\(first.text)")
        #expect(first.headers["connection"] != "close")
        #expect(second.status == 200, "\(second.text)")
    }

    /// After a generation the connection is either kept (and serves the next request) or closed
    /// with `Connection: close` on the response; here it is kept, for clients' connection pools.
    @Test(arguments: names) func aConnectionClosesOnlyAfterSayingSo(_ name: String) async throws {
        let server = try await TestServers.standard.value
        let generation = try #require(Self.generations.first { $0.name == name })
        let post = try RawRequests.post(generation.path, json: generation.body)
        let (first, next, second) = try await KeepAliveConnection.exchange(port: server.port) { connection in
            try connection.write(post)
            let first = try connection.response()
            let next = connection.next(within: 1)
            try? connection.write(RawRequests.health)
            return (first, next, try? connection.response())
        }
        if first.headers["connection"] == "close" {
            #expect(next == .closed)
        } else {
            #expect(next == .silent || next == .bytes)
        }
        #expect(first.headers["connection"] != "close", "a generation response needs no close")
        #expect(second?.status == 200)
    }

    /// A request that asks to close gets an answer saying so (Hummingbird closes after it).
    @Test func aRequestAskingToCloseIsAnsweredSayingSo() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.get("/health")
        #expect(reply.status == 200)
        #expect(reply.headers["connection"] == "close")
    }
}
