import Foundation
import GenRM
import Testing

/// `genrm prompt` and `genrm parse` run as a user runs them: the built binary as a subprocess.
/// Exit statuses: 0 ok, 1 invalid input (one line on stderr, nothing on stdout), 64 usage error.
@Suite struct CLITests {
    struct Run {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The `genrm` executable, built next to the test bundle in the scratch path's release folder.
    static func binary() throws -> URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("genrm") }
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(found, "genrm binary not found in \(candidates.map(\.path)); build the genrm product first")
    }

    /// Runs genrm; `environment` entries are added to (or replace) the test process's own.
    func genrm(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = TestFiles.repositoryRoot
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }

    func expectInputError(_ run: Run, mentioning words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(run.stderr.hasPrefix("genrm: error: "), sourceLocation: sourceLocation)
        #expect(run.stderr.filter { $0 == "\n" }.count == 1, "not one line: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(words), "\(run.stderr)", sourceLocation: sourceLocation)
    }

    @Test func promptPrintsTheGoldenRender() throws {
        let run = try genrm(["prompt", "examples/two-responses.json"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout == (try TestFiles.fixture("prompts/card-two-responses.txt")))
    }

    @Test func promptReadsStandardInput() throws {
        let request = try TestFiles.fixture("prompts/multilingual.request.json")
        let expected = try TestFiles.fixture("prompts/multilingual.txt")
        #expect(try genrm(["prompt", "-"], stdin: request).stdout == expected)
        #expect(try genrm(["prompt"], stdin: request).stdout == expected)
    }

    @Test func promptJSONHasMessagesAndText() throws {
        let run = try genrm(["prompt", "--json", "examples/one-response.json"])
        #expect(run.status == 0)
        let printed = try JSONDecoder().decode(JudgePrompt.self, from: run.stdout)
        let expected = try JSONDecoder().decode(JudgePrompt.self, from: TestFiles.fixture("prompts/card-one-response.expected.json"))
        #expect(printed == expected)
    }

    @Test func promptVariantOptions() throws {
        let request = try TestFiles.fixtureURL("prompts/variant-curly-ranking-nothink-keep.request.json").path
        let run = try genrm([
            "prompt", request, "--apostrophe", "curly", "--boxed-suffix", "ranking", "--no-thinking", "--keep-candidate-reasoning",
        ])
        #expect(run.status == 0)
        #expect(run.stdout == (try TestFiles.fixture("prompts/variant-curly-ranking-nothink-keep.txt")))
    }

    @Test func promptRejectsAnInvalidRequest() throws {
        let noResponse = Data(#"[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]"#.utf8)
        expectInputError(try genrm(["prompt"], stdin: noResponse), mentioning: "response_1")
        let badContent = Data(#"[{"role": "user", "content": 7}, {"role": "response_1", "content": "x"}]"#.utf8)
        expectInputError(try genrm(["prompt"], stdin: badContent), mentioning: "message 0 (user): content is a number")
        expectInputError(try genrm(["prompt"], stdin: Data("{\"messages\": [".utf8)), mentioning: "not valid JSON")
        expectInputError(try genrm(["prompt", "no/such/file.json"]), mentioning: "no/such/file.json: no such file")
    }

    @Test func parsePrintsTheVerdictInWords() throws {
        let run = try genrm(["parse", "examples/output-two-responses.txt"])
        #expect(run.status == 0)
        #expect(run.stdoutText.contains("Analysis of response 1:\nResponse 1 states \"1+2=4\""))
        #expect(run.stdoutText.contains("Helpfulness: response 1: 1 of 5 (not helpful); response 2: 5 of 5 (extremely helpful)"))
        #expect(run.stdoutText.contains("Ranking: 5 of 6"))
        #expect(run.stdoutText.hasSuffix("Verdict: Response 2 is better than response 1.\n"))
        let one = try genrm(["parse", "--responses", "1", "examples/output-one-response.txt"])
        #expect(one.stdoutText.hasSuffix("Verdict: Response 1 is not helpful (helpfulness 1 of 5).\n"))
    }

    @Test func parseJSONHasTheDocumentedShape() throws {
        let run = try genrm(["parse", "--json", "--responses", "2", "examples/output-two-responses.txt"])
        #expect(run.status == 0)
        let object = try #require(JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        #expect(Set(object.keys) == ["reasoning", "analyses", "scores", "ranking", "preferred"])
        #expect(object["scores"] as? [Int] == [1, 5])
        #expect(object["ranking"] as? Int == 5)
        #expect(object["preferred"] as? Int == 2)
        #expect((object["analyses"] as? [String])?.count == 2)
    }

    @Test func parseFailureIsOneLineAndStatusOne() throws {
        expectInputError(try genrm(["parse"], stdin: Data("<think>\nstill thinking".utf8)), mentioning: "truncated")
        let two = try TestFiles.example("output-two-responses.txt")
        expectInputError(try genrm(["parse", "--responses", "1"], stdin: Data(two.utf8)), mentioning: "expected 1 individual score(s), found 2")
        expectInputError(try genrm(["parse"], stdin: Data([0xFF, 0xFE, 0x00])), mentioning: "not UTF-8")
    }

    @Test func usageErrorsExitWith64AndPrintNothingOnStdout() throws {
        for arguments in [["parse", "--responses", "3"], ["prompt", "--apostrophe", "round"], ["prompt", "--bogus"]] {
            let run = try genrm(arguments, stdin: Data())
            #expect(run.status == 64, "\(arguments)")
            #expect(run.stdout.isEmpty, "\(arguments)")
            #expect(!run.stderr.isEmpty, "\(arguments)")
        }
    }

    /// A negative number is an option's value, checked by its own rule, not taken for a flag
    /// ("Missing value for '--votes'" said nothing about what was wrong).
    @Test func negativeNumbersReachTheirValidation() throws {
        for (arguments, message) in [
            (["judge", "--votes", "-1", "examples/two-responses.json"], "--votes must be >= 1, not -1"),
            (["eval", "run", "--votes", "-2", "--benchmark", "judgebench", "--data", "/nonexistent", "--out", "/nonexistent/x"], "-2"),
            (["serve", "--port", "-5"], "-5"),
            (["serve", "--max-request-bytes", "-1"], "--max-request-bytes must be >= 1, not -1"),
            (["serve", "--max-request-bytes", "0"], "--max-request-bytes must be >= 1, not 0"),
        ] {
            let run = try genrm(arguments, stdin: Data())
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Missing value"), "\(arguments): \(run.stderr)")
        }
    }

    @Test func serveChecksItsChatTemplateBeforeLoadingAnything() throws {
        expectInputError(try genrm(["serve", "--chat-template", "/nonexistent/template.jinja"]), mentioning: "no file at /nonexistent/template.jinja")
        expectInputError(try genrm(["serve", "--chat-template", "{% if %}"]), mentioning: "does not parse")
    }

    /// `genrm` copied alone into an empty folder (as an installer would) still has its prompt.
    @Test func aCopiedBinaryNeedsNothingBesideIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("genrm")
        try FileManager.default.copyItem(at: try Self.binary(), to: copy)
        let process = Process()
        process.executableURL = copy
        process.arguments = ["prompt", TestFiles.repositoryRoot.appendingPathComponent("examples/two-responses.json").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("[Helpfulness Scoring Guidelines]"))
    }
}
