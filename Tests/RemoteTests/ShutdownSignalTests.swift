import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `genrm serve` as a process, stopped by signals as a supervisor stops it.
@Suite struct ShutdownSignalTests {
    /// A second SIGTERM during the grace period cuts it short, as uvicorn (vLLM) does: the
    /// long request is cancelled and the process exits 0 at once, not after the 120 s grace.
    @Test func aSecondSigtermCutsTheGracePeriod() async throws {
        let server = try await ServerProcess.genrm(["--shutdown-grace", "120"])
        let long: [String: Any] = [
            "model": RemoteFiles.servedName, "messages": [["role": "user", "content": "Write a long story."]],
            "max_tokens": 4000, "temperature": 1.0, "seed": 3,
            // SmolLM2's end tokens banned: the story cannot end on its own.
            "logit_bias": ["0": -100, "1": -100, "2": -100],
        ]
        let request = Task { try? await RemoteHTTP.post(server.baseURL + "/chat/completions", long, timeout: .seconds(200)) }
        // The request is running once the metrics count it.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let metrics = try await RemoteHTTP.get("http://127.0.0.1:\(server.port)/metrics")
            if String(decoding: metrics.body, as: UTF8.self).contains("genrm_running_sequences 1") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(server.pid, SIGTERM)
        try await Task.sleep(for: .seconds(1))
        #expect(server.process.isRunning, "the first SIGTERM waits for the running request: \(server.logText)")
        let second = Date()
        kill(server.pid, SIGTERM)
        while server.process.isRunning, Date().timeIntervalSince(second) < 30 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.process.isRunning, "still running 30 s after the second SIGTERM: \(server.logText)")
        #expect(Date().timeIntervalSince(second) < 15)
        if !server.process.isRunning { #expect(server.process.terminationStatus == 0, "\(server.logText)") }
        _ = await request.value
    }
}
