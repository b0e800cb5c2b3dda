import Foundation
import TestSupport
import GenRM
import Testing

/// The model card's own client code (scripts/card_client.py, the real `openai` package) against
/// the server started as the card starts vLLM: its served model name and `--max-model-len 40000`.
@Suite struct CardClientTests {
    static let cardModel = "nvidia/Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual"

    static let server: Task<RunningServer, any Error> = Task {
        try await TestServers.start(try await TestServers.configuration {
            $0.servedModelName = cardModel
            $0.maxModelLength = 40000
        })
    }

    @Test(arguments: [("one", ResponseCount.one), ("two", ResponseCount.two)])
    func cardExamplePrintsAParsableJudgment(example: String, responses: ResponseCount) async throws {
        let hasOpenAI = try await Self.pythonHasOpenAI()
        try #require(hasOpenAI, "the card-client test needs the openai package in the test venv: run `make assets`")
        let server = try await Self.server.value
        let (status, output, errors) = try await Self.python(["scripts/card_client.py", example], port: server.port)
        #expect(status == 0, "\(errors)")
        let judgment = try JudgmentParser.parse(output.trimmingCharacters(in: .whitespacesAndNewlines), responses: responses)
        #expect(judgment.scores.count == responses.rawValue)
        #expect(output.hasPrefix("[The Begin of Analysis on Response 1]"))
    }

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func pythonHasOpenAI() async throws -> Bool {
        try await python(["-c", "import openai"], port: 0).status == 0
    }

    static func python(_ arguments: [String], port: Int) async throws -> (status: Int32, output: String, errors: String) {
        try await LoopbackHTTP.onThread {
            let process = Process()
            (process.executableURL, process.arguments) = TestPython.process(arguments)
            process.currentDirectoryURL = repository
            process.environment = ProcessInfo.processInfo.environment.merging(["GENRM_PORT": String(port)]) { $1 }
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let output = out.fileHandleForReading.readDataToEndOfFile()
            let errors = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
        }
    }
}

