import Foundation
import GenRM
import Testing
@testable import Remote

/// `genrm judge`, `rewards`, `eval run` and `backends check` over a pool of two real
/// `genrm serve` processes on loopback, run as a user runs them.
@Suite(.serialized) struct PoolJudgingTests {
    func backendArguments(_ servers: [ServerProcess]) -> [String] {
        servers.flatMap { ["--backend", $0.baseURL] }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    /// The pool's read-out (from the servers' top logprobs) is the embedded engine's own, to 1e-3.
    @Test func judgingOverThePoolReadsOutTheEmbeddedScores() async throws {
        let servers = try await SharedBackends.pair.value
        let remote = try await CLIRun.genrm(["judge", "examples/two-responses.json", "--json", "--quiet"] + backendArguments(servers))
        #expect(remote.status == 0, "\(remote.stderr)")
        let local = try await CLIRun.genrm(
            ["judge", "examples/two-responses.json", "--json", "--quiet", "--threads", "1", "--reasoning-tokens", "6", "--analysis-tokens", "6"])
        #expect(local.status == 0, "\(local.stderr)")
        let pooled = try Self.json(remote.stdout), embedded = try Self.json(local.stdout)
        let vote = try #require((pooled["votes"] as? [[String: Any]])?.first)
        #expect(servers.map(\.baseURL).contains(vote["backend"] as? String ?? ""))
        #expect(vote["text"] as? String == (embedded["votes"] as? [[String: Any]])?.first?["text"] as? String)
        let readout = try #require(vote["readout"] as? [String: Any])
        #expect(readout["missing_digits"] == nil, "top logprobs lacked digits: \(readout)")
        let got = try #require(pooled["expected_scores"] as? [Double]), want = try #require(embedded["expected_scores"] as? [Double])
        for (a, b) in zip(got, want) { #expect(abs(a - b) < 1e-3) }
        let ranking = try #require(pooled["expected_ranking"] as? Double), wanted = try #require(embedded["expected_ranking"] as? Double)
        #expect(abs(ranking - wanted) < 1e-3)
    }

    @Test func sampledVotesAreSeparateRequestsAndIdenticalOnesAreReported() async throws {
        let servers = try await SharedBackends.pair.value
        let run = try await CLIRun.genrm(
            ["judge", "examples/two-responses.json", "--json", "--quiet", "--votes", "4", "--temperature", "1.0", "--seed", "3"]
                + backendArguments(servers))
        #expect(run.status == 0, "\(run.stderr)")
        let result = try Self.json(run.stdout)
        let votes = try #require(result["votes"] as? [[String: Any]])
        #expect(votes.count == 4)
        let identical = try #require(result["identical_votes"] as? [[Int]])
        let texts = votes.map { $0["text"] as? String ?? "" }
        // Whatever the backends did, the report says which texts repeat.
        let repeated = Dictionary(grouping: texts.indices, by: { texts[$0] }).values.filter { $0.count > 1 }.map { $0.sorted() }
        #expect(Set(identical) == Set(repeated))
        #expect(Set(texts).count > 1, "four sampled votes at temperature 1 were identical")
    }

    @Test func rewardsOfAGroupAreReproducibleWithASeed() async throws {
        let servers = try await SharedBackends.pair.value
        let request = """
            {"history": [{"role": "user", "content": "What is 1+2?"}], "candidates": ["3", "4", "1+2 is 3."],
             "schedule": "all_pairs", "swap": true, "votes": 2, "aggregator": "simple_tiebreaker", "seed": 11}
            """
        let first = try await CLIRun.genrm(["rewards", "-", "--quiet"] + backendArguments(servers), stdin: request)
        let second = try await CLIRun.genrm(["rewards", "-", "--quiet"] + backendArguments(servers), stdin: request)
        #expect(first.status == 0, "\(first.stderr)")
        let a = try Self.json(first.stdout), b = try Self.json(second.stdout)
        let rewards = try #require(a["rewards"] as? [Any])
        #expect(rewards.count == 3)
        #expect(a["rewards"] as? [Double] == b["rewards"] as? [Double])
        let comparisons = try #require(a["comparisons"] as? [[String: Any]])
        // 3 pairs in both orders, 2 votes each.
        #expect(comparisons.count == 6)
        #expect(comparisons.allSatisfy { ($0["votes"] as? Int) == 2 })
        #expect(Set(comparisons.map { "\($0["i"]!)-\($0["j"]!)" }) == ["0-1", "1-0", "0-2", "2-0", "1-2", "2-1"])
    }

    @Test func backendsCheckSaysWhatEachServerCanDo() async throws {
        let servers = try await SharedBackends.pair.value
        let run = try await CLIRun.genrm(["backends", "check", servers[0].baseURL])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("GenRM roles accepted"))
        #expect(run.stdout.contains("logprobs yes"))
        #expect(run.stdout.contains("models \(RemoteFiles.servedName)"))
        let dead = "http://127.0.0.1:\(try ServerProcess.freePort())/v1"
        let down = try await CLIRun.genrm(["backends", "check", dead, "--timeout", "5"])
        #expect(down.status == 1)
        #expect(down.stdout.contains("\(dead): health unreachable"))
    }

    /// Nothing reachable: exit 1, one error line naming every backend, nothing on stdout.
    @Test func allBackendsDownIsAnErrorNamingThem() async throws {
        let dead = try (0..<2).map { _ in "http://127.0.0.1:\(try ServerProcess.freePort())/v1" }
        let run = try await CLIRun.genrm(
            ["judge", "examples/two-responses.json", "--quiet", "--backend-wait", "1"] + dead.flatMap { ["--backend", $0] })
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("genrm: error: "))
        for url in dead { #expect(run.stderr.contains(url)) }
    }

    /// Backends that die after start-up: the retries run out and the error names them all, the
    /// tried ones by their failures and any whose first health check had not answered when they
    /// died (the pool is ready on one backend) as not tried; nothing is invented.
    @Test func backendsThatDieMidRunFailTheJudgment() async throws {
        let servers = [try await ServerProcess.genrm(), try await ServerProcess.genrm()]
        let pool = try BackendPool(Self.fastConfiguration(servers.map(\.baseURL)))
        try await pool.waitUntilReady()
        for server in servers { server.kill() }
        let judge = Judge(backend: RemoteJudgeBackend(pool: pool), promptBuilder: try JudgePromptBuilder.bundled())
        let request = try JudgeRequest(json: Data(RemoteFiles.twoResponses.utf8))
        let error = await #expect(throws: PoolFailure.self) { try await judge.judge(request) }
        let message = error?.description ?? ""
        #expect(servers.allSatisfy { message.contains($0.baseURL) }, "\(message)")
        await pool.shutdown()
    }

    /// A pool ready on one backend whose other never answered: when the live one dies, the error
    /// names the other as not tried and why, rather than leaving it out.
    @Test func aBackendThatNeverAnsweredIsNamedAsNotTried() async throws {
        let server = try await ServerProcess.genrm()
        let silent = "http://127.0.0.1:\(try ServerProcess.freePort())/v1"
        let pool = try BackendPool(Self.fastConfiguration([server.baseURL, silent]))
        try await pool.waitUntilReady()
        server.kill()
        let judge = Judge(backend: RemoteJudgeBackend(pool: pool), promptBuilder: try JudgePromptBuilder.bundled())
        let request = try JudgeRequest(json: Data(RemoteFiles.twoResponses.utf8))
        let error = await #expect(throws: PoolFailure.self) { try await judge.judge(request) }
        let message = error?.description ?? ""
        #expect(message.contains("over \(server.baseURL))"), "\(message)")
        #expect(message.contains("not tried: \(silent) (no health check answered yet"), "\(message)")
        await pool.shutdown()
    }

    /// `kill -9` of one of two backends in the middle of an eval run: every judgment completes on
    /// the other, none lost or doubled.
    @Test func evalRunSurvivesTheLossOfOneBackend() async throws {
        let servers = [try await ServerProcess.genrm(), try await ServerProcess.genrm()]
        let out = RemoteFiles.temporaryFile("judgebench.jsonl")
        let arguments = ["eval", "run", "--benchmark", "judgebench", "--limit", "6", "--concurrency", "4", "--out", out.path, "--quiet"]
            + backendArguments(servers)
        let run = Task { try await CLIRun.genrm(arguments) }
        // Kill the first backend once some judgments are written.
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline {
            let lines = ((try? String(contentsOf: out, encoding: .utf8)) ?? "").split(separator: "\n").count
            if lines >= 2 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        servers[0].kill()
        let finished = try await run.value
        #expect(finished.status == 0, "\(finished.stderr)")
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map { try Self.json(String($0)) }
        #expect(lines.count == 12, "\(finished.stdout)")
        #expect(lines.allSatisfy { $0["error"] == nil || $0["error"] is NSNull }, "\(lines.compactMap { $0["error"] })")
        let keys = lines.map { "\($0["item"] ?? "")|\($0["pair"] ?? "")" }
        #expect(Set(keys).count == 12)
        try? FileManager.default.removeItem(at: out)
        // The surviving backend must live (not be stopped by its handle's deinit) until here.
        withExtendedLifetime(servers) {}
    }

    /// A backend's context is learned from its first refusal of `max_tokens` 32,768: later
    /// judgments take one request each, not a refusal and a retry.
    @Test func theContextRefusalIsLearnedOnce() async throws {
        let server = try await ServerProcess.genrm()
        let pool = try BackendPool(Self.fastConfiguration([server.baseURL]))
        try await pool.waitUntilReady()
        let judge = Judge(backend: RemoteJudgeBackend(pool: pool), promptBuilder: try JudgePromptBuilder.bundled())
        let request = try JudgeRequest(json: Data(RemoteFiles.twoResponses.utf8))
        for _ in 0..<3 { _ = try await judge.judge(request) }
        let metrics = String(decoding: try await RemoteHTTP.get("http://127.0.0.1:\(server.port)/metrics").body, as: UTF8.self)
        func count(_ status: Int) -> Int {
            let prefix = "genrm_requests_total{route=\"/v1/chat/completions\",status=\"\(status)\"} "
            return metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
        }
        #expect(count(400) == 1, "\(metrics)")
        #expect(count(200) == 3)
        await pool.shutdown()
    }

    static func fastConfiguration(_ urls: [String]) throws -> PoolConfiguration {
        var configuration = PoolConfiguration(endpoints: try urls.map(BackendEndpoint.init))
        configuration.backoff = .milliseconds(50)
        configuration.wait = .seconds(60)
        configuration.healthInterval = .milliseconds(500)
        return configuration
    }
}
