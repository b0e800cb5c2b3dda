import Foundation
import TestSupport
import Remote
import Testing

/// Files and names the remote tests share.
enum RemoteFiles {
    static let servedName = "genrm-remote-test"

    /// Tests/RemoteTests/RemoteTestSupport.swift -> the repository root.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `genrm` executable, built next to the test bundle.
    static func genrm() throws -> URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("genrm") }
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(found, "genrm binary not found in \(candidates.map(\.path)); build the genrm product first")
    }

    static func fixture(_ name: String) throws -> URL {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/\(name)")
        try #require(FileManager.default.fileExists(atPath: url.path), "missing fixture \(name)")
        return url
    }

    /// The embedded default model in the cache (`make test` fetches it).
    static func defaultModel() throws -> String {
        let cache = ProcessInfo.processInfo.environment["GENRM_CACHE"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/genrm").path
        let path = cache + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path): run scripts/fetch-assets.sh")
        return path
    }

    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("genrm-remote-\(UUID().uuidString)-\(name)")
    }

    static let twoResponses = """
        {"messages": [{"role": "user", "content": "What is 1+1?"}, {"role": "assistant", "content": "1+1=2"}, \
        {"role": "user", "content": "What about 1+2?"}, {"role": "response_1", "content": "1+2=4"}, \
        {"role": "response_2", "content": "1+2=3"}]}
        """
}

/// Plain HTTP for the tests (AsyncHTTPClient through the Remote module's client).
enum RemoteHTTP {
    static let client = BackendHTTP(apiKey: nil)

    static func get(_ url: String) async throws -> BackendHTTP.Reply {
        try await client.get(url, backend: url, timeout: .seconds(60))
    }

    static func post(_ url: String, _ json: [String: Any], timeout: Duration = .seconds(300)) async throws -> BackendHTTP.Reply {
        try await client.post(url, json: try JSONSerialization.data(withJSONObject: json), backend: url, timeout: timeout)
    }

    static func json(_ reply: BackendHTTP.Reply) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any], "not a JSON object: \(String(decoding: reply.body, as: UTF8.self))")
    }
}

/// `genrm` run as a user runs it.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static func genrm(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> CLIRun {
        try await run(try RemoteFiles.genrm(), arguments, stdin: stdin, environment: environment)
    }

    /// Any program (the test venv's Python, say), from the repository root.
    static func run(_ executable: URL, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> CLIRun {
        try await onThread {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.currentDirectoryURL = RemoteFiles.repositoryRoot
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let output = Pipe(), input = Pipe()
            let errors = RemoteFiles.temporaryFile("stderr")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.standardOutput = output
            process.standardError = try FileHandle(forWritingTo: errors)
            process.standardInput = input
            try process.run()
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try input.fileHandleForWriting.close()
            let stdout = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: errors)
            return CLIRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: stderr)
        }
    }
}

/// Backends shared by the tests that only read from them: two `genrm serve` processes.
enum SharedBackends {
    static let pair: Task<[ServerProcess], any Error> = Task {
        [try await ServerProcess.genrm(), try await ServerProcess.genrm()]
    }
}

