import Foundation
import Testing

#if os(Linux)
import Glibc
#endif

/// What `genrm` holds after running a checkpoint directory without --quantize: the mapped weights
/// once (no copy of a float matrix), so the process's peak resident memory stays within the
/// files' size plus 64 MiB, and within 10% of what `genrm inspect` plans (weights as stored plus
/// the KV cache at --max-model-len). A 4-layer BF16 Llama of 345 MiB written by
/// scripts/measure_hf_load.py (random weights); the peak is the child's own (`wait4`'s
/// `ru_maxrss`), whatever other tests run beside it.
@Suite struct HFDirectoryMemoryTests {
    let cli = CLITests()

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status"), "Linux rusage in KiB"))
    func aDirectoryIsResidentOnceAndAsPlanned() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-memory-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let script = TestFiles.repositoryRoot.appendingPathComponent("scripts/measure_hf_load.py").path
        let wrote = Process()
        wrote.executableURL = URL(fileURLWithPath: try Self.python())
        wrote.arguments = [script, "--write-only", out, "--layers", "4"]
        try wrote.run()
        wrote.waitUntilExit()
        try #require(wrote.terminationStatus == 0, "measure_hf_load.py --write-only failed")
        let directory = out + "/llama-4"
        let files = try #require(try FileManager.default.attributesOfItem(atPath: directory + "/model.safetensors")[.size] as? Int)

        let inspected = try cli.genrm(["inspect", directory, "--max-model-len", "2048", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: inspected.stdout) as? [String: Any])
        let memory = try #require(report["memory"] as? [String: Any])
        let plan = try #require(memory["weights_as_stored"] as? Int) + (try #require(memory["kv_bytes_at_context"] as? Int))

        let peak = try Self.peakResidentBytes(of: [
            try CLITests.binary().path, "generate", "--model", directory, "--prompt", "the cat", "--greedy",
            "--max-tokens", "4", "--max-model-len", "2048", "--quiet",
        ])
        let mib = 1 << 20
        #expect(peak <= files + 64 * mib, "peak \(peak / mib) MiB, files \(files / mib) MiB")
        #expect(abs(Double(peak) / Double(plan) - 1) <= 0.10, "peak \(peak / mib) MiB, plan \(plan / mib) MiB")
    }

    static func python() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["GENRM_PYTHON"] { return path }
        return (environment["GENRM_CACHE"] ?? NSString(string: "~/.cache/genrm").expandingTildeInPath) + "/venv/bin/python"
    }

    /// Runs `arguments` (stdout and stderr to /dev/null) and returns its peak resident set in bytes.
    static func peakResidentBytes(of arguments: [String]) throws -> Int {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        try #require(spawned == 0, "posix_spawn: \(spawned)")
        var status: Int32 = 0
        var usage = rusage()
        try #require(wait4(pid, &status, 0, &usage) == pid)
        try #require(status == 0, "\(arguments) exited with status \(status)")
        return usage.ru_maxrss * 1024
    }
}
