import Foundation
import GenRM
import Testing
@testable import Remote

/// Faults from a real fault-injecting TCP proxy (Fixtures/fault_proxy.py) in front of a real
/// `genrm serve`: refused connections, resets mid-body, stalls, bursts of 500/503. Each is
/// retried or reported, never turned into an invented judgment.
@Suite(.serialized) struct FaultInjectionTests {
    struct Rig {
        let proxy: ServerProcess
        let pool: BackendPool
        let judge: Judge

        /// Replaces the proxy's fault schedule (kept-alive connections are closed by it).
        func faults(_ specs: [String]) async throws {
            let control = try #require(proxy.controlPort)
            _ = try await RemoteHTTP.client.post(
                "http://127.0.0.1:\(control)/faults", json: Data(specs.joined(separator: "\n").utf8), backend: "proxy", timeout: .seconds(10))
            try await Task.sleep(for: .milliseconds(100))
        }

        func stats() async throws -> [String: Any] {
            try RemoteHTTP.json(try await RemoteHTTP.get("http://127.0.0.1:\(try #require(proxy.controlPort))/stats"))
        }

        func judgeCard() async throws -> JudgeResult {
            try await judge.judge(try JudgeRequest(json: Data(RemoteFiles.twoResponses.utf8)))
        }
    }

    /// One proxy over one shared backend; health checks rarely, retries quickly.
    static func rig(retries: Int = 3, timeout: Duration = .seconds(120)) async throws -> Rig {
        let backend = try await SharedBackends.pair.value[0]
        let proxy = try await ServerProcess.proxy(target: backend.port)
        var configuration = PoolConfiguration(endpoints: [try BackendEndpoint("http://127.0.0.1:\(proxy.port)/v1")])
        configuration.backoff = .milliseconds(50)
        configuration.retries = retries
        configuration.requestTimeout = timeout
        configuration.healthInterval = .seconds(600)
        let pool = try BackendPool(configuration)
        try await pool.waitUntilReady()
        let judge = Judge(backend: RemoteJudgeBackend(pool: pool), promptBuilder: try JudgePromptBuilder.bundled())
        return Rig(proxy: proxy, pool: pool, judge: judge)
    }

    @Test(arguments: [["refuse:2"], ["status:503:3"], ["status:500:1", "status:502:1"], ["reset_mid_body:1"], ["drop:2"]])
    func retryableFaultsAreRetriedUntilTheJudgmentArrives(_ faults: [String]) async throws {
        let rig = try await Self.rig()
        try await rig.faults(faults)
        let result = try await rig.judgeCard()
        #expect(result.summary.parsedVotes == 1)
        #expect(result.votes[0].completion.readout != nil)
        let faulted = try #require(try await rig.stats()["faulted"] as? Int)
        let injected = faults.reduce(0) { $0 + Int($1.split(separator: ":").last!)! }
        #expect(faulted == injected)
        // Every fault cost a try of the pool's own, except that AsyncHTTPClient may itself
        // reconnect when a new connection is reset while it opens (refuse).
        let retries = rig.pool.status[0].retries
        #expect(retries >= 1 && retries <= injected, "\(retries) retries for \(injected) faults")
        await rig.pool.shutdown()
    }

    @Test func moreFaultsThanRetriesFailWithTheLastError() async throws {
        let rig = try await Self.rig(retries: 2)
        try await rig.faults(["status:503:3"])
        let error = await #expect(throws: PoolFailure.self) { try await rig.judgeCard() }
        #expect(error?.description.contains("HTTP 503: injected 503 by fault_proxy") == true, "\(String(describing: error))")
        #expect(error?.description.contains("3 tries") == true)
        await rig.pool.shutdown()
    }

    /// A stalled connection times out and the request is tried again. (A one-token chat
    /// completion, so the timeout stays short yet no real answer comes near it on a loaded machine.)
    @Test func aStalledBackendTimesOutAndIsRetried() async throws {
        let rig = try await Self.rig(timeout: .seconds(5))
        try await rig.faults(["stall:1"])
        let body = try JSONSerialization.data(withJSONObject: ["messages": [["role": "user", "content": "Hi"]], "max_tokens": 1])
        let clock = ContinuousClock()
        let start = clock.now
        let pool = rig.pool
        let reply = try await pool.send { target in
            try await pool.http.post(target.endpoint.url("/chat/completions"), json: body, backend: target.endpoint.baseURL, timeout: .seconds(5))
        }
        #expect(reply.status == 200)
        #expect(start.duration(to: clock.now) >= .seconds(5))
        #expect(pool.status[0].retries == 1)
        #expect(try await rig.stats()["faulted"] as? Int == 1)
        await pool.shutdown()
    }

    /// A 4xx other than 408/429 is the request's own error: passed through, never retried.
    @Test func aClientErrorIsNotRetried() async throws {
        let rig = try await Self.rig()
        try await rig.faults(["status:422:1"])
        let error = await #expect(throws: PoolFailure.self) { try await rig.judgeCard() }
        #expect(error?.isRequestError == true)
        #expect(error?.description.contains("HTTP 422") == true)
        #expect(try await rig.stats()["faulted"] as? Int == 1)
        #expect(rig.pool.status[0].retries == 0)
        await rig.pool.shutdown()
    }
}
