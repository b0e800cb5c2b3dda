import Foundation
import Testing
@testable import Server

/// Behaviour under load and faults: bounded admission, cancellation on disconnect, batching
/// across requests, auth.
@Suite(.serialized) struct LoadAndFaultTests {
    static var long: [String: Any] {
        [
            "messages": [["role": "user", "content": "Write a long story about a lighthouse keeper."]], "max_tokens": 4000,
            "temperature": 1.0, "seed": 3, "stream": true,
            // SmolLM2's end tokens banned: the story cannot end before the test hangs up.
            "logit_bias": ["0": -100, "1": -100, "2": -100],
        ]
    }

    /// A connection that sends nothing, or trickles its request head a byte at a time, is closed
    /// once the keep-alive timeout passes without a whole request part (it was held forever).
    @Test func idleAndTricklingConnectionsAreClosed() async throws {
        let server = try await TestServers.start(try await TestServers.configuration { $0.keepAliveTimeout = .seconds(1) })
        let port = server.port
        let idle = try await Self.secondsUntilClosed {
            let connection = try LoopbackHTTP.Connection(port: port)
            defer { connection.close() }
            let start = Date()
            _ = connection.readToEnd()
            return Date().timeIntervalSince(start)
        }
        #expect(idle < 10)
        let trickled = try await Self.secondsUntilClosed {
            let connection = try LoopbackHTTP.Connection(port: port)
            defer { connection.close() }
            let start = Date()
            // 3 s of a head that never ends, well past the 1 s timeout; then what is left to read.
            for byte in Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 100) {
                guard Date().timeIntervalSince(start) < 3, (try? connection.write(Data([byte]))) != nil else { break }
                usleep(100_000)
            }
            _ = connection.readToEnd()
            return Date().timeIntervalSince(start)
        }
        #expect(trickled < 10)
        // A whole request on a fresh connection is still answered.
        #expect(try await server.get("/health").status == 200)
    }

    /// Runs a blocking socket exchange; fails if it is still blocked (the connection held open)
    /// after 20 s.
    static func secondsUntilClosed(_ work: @escaping @Sendable () throws -> Double) async throws -> Double {
        let (results, continuation) = AsyncStream<Double>.makeStream()
        Task {
            if let seconds = try? await LoopbackHTTP.onThread(work) { continuation.yield(seconds) }
            continuation.finish()
        }
        Task {
            try? await Task.sleep(for: .seconds(20))
            continuation.finish()
        }
        for await seconds in results { return seconds }
        throw LoopbackHTTP.LoopbackError("the server kept the connection open for 20 s")
    }

    @Test func overloadGets503AtOnceAndDisconnectFreesTheCache() async throws {
        let server = try await TestServers.start(try await TestServers.configuration { $0.maxNumSeqs = 1; $0.maxQueue = 0 })
        // A long stream holds the only slot; read its first bytes, then hang up.
        let connection = try LoopbackHTTP.Connection(port: server.port)
        let body = try JSONSerialization.data(withJSONObject: Self.long)
        try connection.send(method: "POST", path: "/v1/chat/completions", headers: ["Content-Type": "application/json"], body: body)
        let head = try await LoopbackHTTP.onThread { connection.readSome() }
        #expect(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        try await server.waitFor { $0.runningSequences == 1 }

        let started = Date()
        let refused = try await server.post("/v1/chat/completions", Bodies.chat)
        try BadRequestTests.expectError(refused, status: 503, param: nil, contains: "capacity")
        #expect(refused.headers["retry-after"] == "1")
        // At once: the refusal came while the long stream still held the slot (it did not wait
        // for it), and well within a hang guard that allows for a fully loaded test machine.
        #expect(server.server.scheduler!.stats.runningSequences == 1)
        #expect(Date().timeIntervalSince(started) < 60)

        connection.close()
        try await server.waitFor { $0.runningSequences == 0 && $0.cachedSequences == 0 && $0.queuedRequests == 0 }
        let after = try await server.post("/v1/chat/completions", Bodies.chat)
        #expect(after.status == 200)
    }

    @Test func nonStreamingDisconnectCancelsToo() async throws {
        let server = try await TestServers.start(try await TestServers.configuration { $0.maxNumSeqs = 2 })
        let connection = try LoopbackHTTP.Connection(port: server.port)
        var body = Self.long
        body["stream"] = false
        try connection.send(method: "POST", path: "/v1/chat/completions", headers: ["Content-Type": "application/json"],
                            body: try JSONSerialization.data(withJSONObject: body))
        try await server.waitFor { $0.runningSequences == 1 }
        connection.close()
        try await server.waitFor { $0.runningSequences == 0 && $0.cachedSequences == 0 }
    }

    @Test func concurrentRequestsShareDecodeSteps() async throws {
        let server = try await TestServers.start(try await TestServers.configuration())
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["max_tokens": 16, "temperature": 1.0, "seed": 5])).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == [200, 200, 200, 200])
        let stats = server.server.scheduler!.stats
        // Four requests of up to 16 tokens each: batched decoding needs far fewer steps than 64.
        #expect(Double(stats.decodedRows) / Double(stats.decodeSteps) > 1.5, "\(stats)")
    }

    @Test func apiKeyGuardsV1Only() async throws {
        let server = try await TestServers.keyed.value
        try BadRequestTests.expectError(try await server.get("/v1/models"), status: 401, param: nil, contains: "API key")
        try BadRequestTests.expectError(
            try await server.get("/v1/models", headers: ["Authorization": "Bearer wrong"]), status: 401, param: nil, contains: "API key")
        #expect(try await server.get("/v1/models", headers: ["Authorization": "Bearer sekret"]).status == 200)
        #expect(try await server.post("/v1/chat/completions", Bodies.chat, headers: ["Authorization": "Bearer sekret"]).status == 200)
        #expect(try await server.get("/health").status == 200)
        #expect(try await server.get("/metrics").status == 200)
    }

    @Test func drainingRefusesNewWorkAndHealthSaysSo() async throws {
        let server = try await TestServers.start(try await TestServers.configuration())
        await server.server.drain()
        #expect(try await server.get("/health").status == 503)
        try BadRequestTests.expectError(try await server.post("/v1/chat/completions", Bodies.chat), status: 503, param: nil, contains: "shutting down")
    }
}
