import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing
@testable import Remote

/// `genrm serve --backend ...` as a gateway over real `genrm serve` backends: the whole API over
/// the pool, the card's client code unchanged, per-backend metrics.
@Suite(.serialized) struct GatewayTests {
    static let gateway: Task<ServerProcess, any Error> = Task {
        let backends = try await SharedBackends.pair.value
        return try await ServerProcess.gateway(backends: backends.map(\.baseURL))
    }

    @Test func judgeThroughTheGatewayEqualsTheBackendsOwnJudgment() async throws {
        let gateway = try await Self.gateway.value
        let backend = try await SharedBackends.pair.value[0]
        let body: [String: Any] = [
            "messages": try RemoteHTTP.json(.init(status: 200, body: Data(RemoteFiles.twoResponses.utf8)))["messages"]!, "temperature": 0,
        ]
        let through = try RemoteHTTP.json(try await RemoteHTTP.post("http://127.0.0.1:\(gateway.port)/v1/judge", body))
        let direct = try RemoteHTTP.json(try await RemoteHTTP.post("\(backend.baseURL)/judge", body))
        let got = try #require(through["expected_scores"] as? [Double]), want = try #require(direct["expected_scores"] as? [Double])
        for (a, b) in zip(got, want) { #expect(abs(a - b) < 1e-3) }
        let ranking = try #require(through["expected_ranking"] as? Double)
        #expect(abs(ranking - (try #require(direct["expected_ranking"] as? Double))) < 1e-3)
        #expect(through["verdict"] as? String == direct["verdict"] as? String)
    }

    @Test func rewardsThroughTheGateway() async throws {
        let gateway = try await Self.gateway.value
        let reply = try await RemoteHTTP.post("http://127.0.0.1:\(gateway.port)/v1/rewards", [
            "history": [["role": "user", "content": "What is 1+2?"]], "candidates": ["3", "4", "three"], "schedule": "circular",
            "aggregator": "weighted_win_loss",
        ])
        #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
        let json = try RemoteHTTP.json(reply)
        let rewards = try #require(json["rewards"] as? [Double])
        #expect(rewards.count == 3)
        #expect(rewards.allSatisfy { (0...1).contains($0) })
        let bad = try await RemoteHTTP.post("http://127.0.0.1:\(gateway.port)/v1/rewards", ["history": [], "candidates": ["a"]])
        #expect(bad.status == 400)
        #expect(String(decoding: bad.body, as: UTF8.self).contains("candidates"))
    }

    /// `/v1/completions`, `/tokenize` and `/detokenize` are forwarded to a backend as they are
    /// (the vLLM-like choice): the answers equal the backend's own, streams included, and a
    /// backend's 400 comes back with its words.
    @Test func completionsAndTokenizeAreForwarded() async throws {
        let gateway = try await Self.gateway.value
        let backend = try await SharedBackends.pair.value[0]
        let root = "http://127.0.0.1:\(gateway.port)"
        let scoring: [String: Any] = ["prompt": "The capital of France is Paris.", "max_tokens": 0, "echo": true, "logprobs": 1]
        let through = try RemoteHTTP.json(try await RemoteHTTP.post(root + "/v1/completions", scoring))
        let direct = try RemoteHTTP.json(try await RemoteHTTP.post(backend.baseURL + "/completions", scoring))
        let logprobs = { (json: [String: Any]) in ((json["choices"] as? [[String: Any]])?.first?["logprobs"] as? [String: Any])?["token_logprobs"] as? [Any] }
        let got = try #require(logprobs(through)), want = try #require(logprobs(direct))
        #expect(got.count == want.count)
        for (a, b) in zip(got.dropFirst(), want.dropFirst()) { #expect(abs((a as? Double ?? 0) - (b as? Double ?? 1)) < 1e-9) }
        let streamed = try await RemoteHTTP.post(root + "/v1/completions", ["prompt": "Once upon", "max_tokens": 3, "stream": true])
        #expect(streamed.status == 200)
        #expect(String(decoding: streamed.body, as: UTF8.self).hasSuffix("data: [DONE]\n\n"))
        let tokenized = try RemoteHTTP.json(try await RemoteHTTP.post(root + "/tokenize", ["prompt": "Hello world", "return_token_strs": true]))
        let tokens = try #require(tokenized["tokens"] as? [Int])
        #expect(tokenized["token_strs"] as? [String] == ["Hello", "Ġworld"])
        let text = try RemoteHTTP.json(try await RemoteHTTP.post(root + "/detokenize", ["tokens": tokens]))
        #expect(text["prompt"] as? String == "Hello world")
        let bad = try await RemoteHTTP.post(root + "/v1/completions", ["prompt": "a", "logprobs": 50])
        #expect(bad.status == 400)
        #expect(String(decoding: bad.body, as: UTF8.self).contains("logprobs"))
    }

    @Test func chatCompletionsPassThroughStreamingIncluded() async throws {
        let gateway = try await Self.gateway.value
        let url = "http://127.0.0.1:\(gateway.port)/v1/chat/completions"
        let chat: [String: Any] = ["messages": [["role": "user", "content": "Name a colour."]], "max_tokens": 5, "temperature": 0]
        let plain = try await RemoteHTTP.post(url, chat)
        #expect(plain.status == 200)
        let content = try #require(((try RemoteHTTP.json(plain)["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String)
        let streamed = try await RemoteHTTP.post(url, chat.merging(["stream": true]) { $1 })
        #expect(streamed.status == 200)
        let events = String(decoding: streamed.body, as: UTF8.self).components(separatedBy: "\n\n").filter { $0.hasPrefix("data: ") }
        #expect(events.last == "data: [DONE]")
        let pieces = events.dropLast().compactMap { event -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(event.dropFirst(6).utf8)) as? [String: Any]
            return ((object?["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String
        }
        #expect(pieces.joined() == content)
        // A backend's own 400 comes through with its words, not retried into a 502.
        let refused = try await RemoteHTTP.post(url, chat.merging(["temperature": -1]) { $1 })
        #expect(refused.status == 400)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("temperature"))
        // An unknown model is the gateway's own 404.
        let unknown = try await RemoteHTTP.post(url, chat.merging(["model": "gpt-17"]) { $1 })
        #expect(unknown.status == 404)
    }

    /// The model card's client code (the `openai` package) against the gateway, unchanged: the
    /// card's model name and `max_tokens` 32768 (the backend runs with the card's 40,000 context).
    @Test func theCardsClientCodeWorksAgainstTheGateway() async throws {
        let backend = try await ServerProcess.genrm(["--max-model-len", "40000"])
        let gateway = try await ServerProcess.gateway(
            backends: [backend.baseURL], ["--served-model-name", "nvidia/Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual"])
        for example in ["one", "two"] {
            let run = try await onThread {
                let process = Process()
                (process.executableURL, process.arguments) = TestPython.process(["scripts/card_client.py", example])
                process.currentDirectoryURL = RemoteFiles.repositoryRoot
                process.environment = ProcessInfo.processInfo.environment.merging(["GENRM_PORT": String(gateway.port)]) { $1 }
                let output = Pipe()
                process.standardOutput = output
                try process.run()
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                return (process.terminationStatus, text)
            }
            #expect(run.0 == 0)
            #expect(run.1.contains("[The Begin of Individual Scores]"), "\(run.1)")
        }
        withExtendedLifetime((backend, gateway)) {}
    }

    @Test func healthModelsAndPerBackendMetrics() async throws {
        let gateway = try await Self.gateway.value
        let backends = try await SharedBackends.pair.value
        #expect(try await RemoteHTTP.get("http://127.0.0.1:\(gateway.port)/health").status == 200)
        let models = try RemoteHTTP.json(try await RemoteHTTP.get("http://127.0.0.1:\(gateway.port)/v1/models"))
        #expect((models["data"] as? [[String: Any]])?.first?["id"] as? String == RemoteFiles.servedName)
        _ = try await RemoteHTTP.post("http://127.0.0.1:\(gateway.port)/v1/chat/completions",
                                      ["messages": [["role": "user", "content": "Hi"]], "max_tokens": 2])
        let metrics = String(decoding: try await RemoteHTTP.get("http://127.0.0.1:\(gateway.port)/metrics").body, as: UTF8.self)
        for backend in backends {
            #expect(metrics.contains("genrm_backend_healthy_state{backend=\"\(backend.baseURL)\"} 1"), "\(metrics)")
            #expect(metrics.contains("genrm_backend_in_flight_requests{backend=\"\(backend.baseURL)\"}"))
        }
        #expect(metrics.contains("genrm_backend_requests_total{"))
        #expect(metrics.contains("genrm_backend_request_duration_seconds_bucket{"))
    }
}

/// The gateway when its backends fail: never an invented judgment.
@Suite(.serialized) struct GatewayFailureTests {
    @Test func aDeadPoolIsABadGatewayNamingTheBackend() async throws {
        let backend = try await ServerProcess.genrm()
        let gateway = try await ServerProcess.gateway(backends: [backend.baseURL], ["--retries", "1"])
        let url = "http://127.0.0.1:\(gateway.port)/v1"
        let body = try RemoteHTTP.json(.init(status: 200, body: Data(RemoteFiles.twoResponses.utf8)))
        #expect(try await RemoteHTTP.post("\(url)/judge", body).status == 200)
        backend.kill()
        for route in ["/judge", "/chat/completions"] {
            let reply = try await RemoteHTTP.post(url + route, body)
            #expect([502, 503].contains(reply.status), "\(route): \(reply.status)")
            let error = try #require(try RemoteHTTP.json(reply)["error"] as? [String: Any])
            #expect((error["message"] as? String)?.contains(backend.baseURL) == true, "\(error)")
        }
        // Down after the refusals: /health says so.
        let deadline = ContinuousClock.now + .seconds(30)
        var health = 200
        while ContinuousClock.now < deadline, health == 200 {
            health = try await RemoteHTTP.get("http://127.0.0.1:\(gateway.port)/health").status
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(health == 503)
        withExtendedLifetime(gateway) {}
    }

    /// A backend with a reasoning parser splits `</think>` off into `reasoning_content`; the pool
    /// joins it back, so the judgment parses as the model wrote it.
    @Test func reasoningSplitOffByTheBackendIsJoinedBack() async throws {
        let backend = try await ServerProcess.genrm(["--reasoning-parser"])
        let run = try await CLIRun.genrm(["judge", "examples/two-responses.json", "--json", "--quiet", "--backend", backend.baseURL])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let vote = try #require((result["votes"] as? [[String: Any]])?.first)
        #expect((vote["text"] as? String)?.contains("</think>") == true)
        #expect(vote["judgment"] is [String: Any])
        #expect(vote["readout"] is [String: Any])
        withExtendedLifetime(backend) {}
    }
}

/// A client that hangs up on the gateway cancels the backend's work.
@Suite struct GatewayHangUpTests {
    @Test func aClientThatHangsUpCancelsTheBackendRequest() async throws {
        let backend = try await ServerProcess.genrm()
        let gateway = try await ServerProcess.gateway(backends: [backend.baseURL])
        // A long stream: the end tokens banned, 4,000 tokens asked for.
        let body: [String: Any] = [
            "messages": [["role": "user", "content": "Count to a thousand."]], "max_tokens": 4000, "stream": true,
            "logit_bias": ["0": -100, "1": -100, "2": -100],
        ]
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(gateway.port)/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let client = Task {
            let response = try await RemoteHTTP.client.open(request, backend: "gateway", timeout: .seconds(300))
            for try await _ in response.body {}
        }
        try await Self.waitForRunning(backend, atLeast: 1)
        client.cancel()
        try await Self.waitForRunning(backend, atMost: 0)
        withExtendedLifetime(gateway) {}
    }

    /// Polls the backend's `genrm_running_sequences` gauge (60 s at most).
    static func waitForRunning(_ backend: ServerProcess, atLeast low: Int = 0, atMost high: Int = .max) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var last = -1
        while ContinuousClock.now < deadline {
            let text = String(decoding: try await RemoteHTTP.get("http://127.0.0.1:\(backend.port)/metrics").body, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("genrm_running_sequences ") }),
               let value = Double(line.split(separator: " ").last ?? "") {
                last = Int(value)
                if (low...high).contains(last) { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("running sequences stayed at \(last), wanted \(low)...\(high)")
    }
}
