import Foundation
import TestSupport
import Testing

/// What `genrm` holds after running a checkpoint directory without --quantize: the mapped weights
/// once (no copy of a float matrix), so the process's peak resident memory stays within the
/// files' size plus 64 MiB, and within 10% of what `genrm inspect` plans (weights as stored plus
/// the KV cache at --max-model-len); with --quantize q8_0 and q4_k, each matrix once, in the
/// layout the plan counts. A 4-layer BF16 Llama of 345 MiB written by scripts/measure_hf_load.py
/// (random weights); the peak is the child's own, whatever other tests run beside it.
@Suite struct HFDirectoryMemoryTests {
    let cli = CLITests()

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status"), "Linux rusage in KiB"))
    func aDirectoryIsResidentOnceAndAsPlanned() throws {
        let out = try Self.checkpoint(layers: 4)
        defer { try? FileManager.default.removeItem(atPath: out) }
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

        // Quantized at load, a matrix is resident once, in the kernels' interleaved layout, which
        // the plan counts (its row layout is spilled to a temporary file, and the float rows are
        // let go as they are quantized). What the peak adds to the plan is the process (about 30
        // MiB of code and libraries) and the spilled rows of the matrix being interleaved (12 MiB
        // at most here): measured 1.12 times the plan for Q8_0 (210 MiB) and 1.18 for Q4_K (116
        // MiB), where they were 1.49 and 1.80 with a huge page's rounding per matrix and the
        // float rows held; on 8 layers 1.03 and 1.02.
        for (type, bound) in [("q8_0", 1.2), ("q4_k", 1.3)] {
            let quantized = try #require((memory["weights_quantized"] as? [String: Any])?[type] as? Int)
            let quantizedPlan = quantized + (try #require(memory["kv_bytes_at_context"] as? Int))
            let quantizedPeak = try Self.peakResidentBytes(of: [
                try CLITests.binary().path, "generate", "--model", directory, "--prompt", "the cat", "--greedy",
                "--max-tokens", "4", "--max-model-len", "2048", "--quiet", "--quantize", type,
            ])
            let report = "\(type): peak \(quantizedPeak / mib) MiB, plan \(quantizedPlan / mib) MiB"
            #expect(Double(quantizedPeak) < bound * Double(quantizedPlan), "\(report)")
            #expect(quantizedPeak < quantizedPlan + 48 * mib, "\(report)")
        }
    }

    /// From 8 layers (690 MiB of BF16) up, what the process adds to the plan beside the weights
    /// and the KV cache (its code and libraries, one matrix's rows on their way to the kernels'
    /// layout) is within the 10% when quantizing at load too (measured 1.025 for Q8_0 and
    /// 1.02 for Q4_K).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status"), "Linux rusage in KiB"))
    func aQuantizedDirectoryIsWithinTenPercentOfThePlan() throws {
        let out = try Self.checkpoint(layers: 8)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let directory = out + "/llama-8"
        let inspected = try cli.genrm(["inspect", directory, "--max-model-len", "2048", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: inspected.stdout) as? [String: Any])
        let memory = try #require(report["memory"] as? [String: Any])
        let mib = 1 << 20
        for type in ["q8_0", "q4_k"] {
            let plan = try #require((memory["weights_quantized"] as? [String: Any])?[type] as? Int)
                + (try #require(memory["kv_bytes_at_context"] as? Int))
            let peak = try Self.peakResidentBytes(of: [
                try CLITests.binary().path, "generate", "--model", directory, "--prompt", "the cat", "--greedy",
                "--max-tokens", "4", "--max-model-len", "2048", "--quiet", "--quantize", type,
            ])
            #expect(abs(Double(peak) / Double(plan) - 1) <= 0.10, "\(type): peak \(peak / mib) MiB, plan \(plan / mib) MiB")
        }
    }

    /// A random BF16 Llama of `layers` layers written by scripts/measure_hf_load.py into a new
    /// temporary directory (returned; the checkpoint is its `llama-<layers>`).
    static func checkpoint(layers: Int) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-memory-\(UUID().uuidString)").path
        let script = TestFiles.repositoryRoot.appendingPathComponent("scripts/measure_hf_load.py").path
        let wrote = Process()
        (wrote.executableURL, wrote.arguments) = TestPython.process([script, "--write-only", out, "--layers", "\(layers)"])
        try wrote.run()
        wrote.waitUntilExit()
        try #require(wrote.terminationStatus == 0, "measure_hf_load.py --write-only failed")
        return out
    }

    /// Runs `arguments` (output discarded) and returns its peak resident set in bytes. Through a
    /// small Python parent: on Linux a process's `ru_maxrss` starts from the high-water mark of
    /// the memory it was spawned with (a vfork child shares its parent's until exec), so measured
    /// from this test process, which may hold other tests' models, it would report ours.
    static func peakResidentBytes(of arguments: [String]) throws -> Int {
        let measure = """
            import resource, subprocess, sys
            done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let process = Process()
        (process.executableURL, process.arguments) = TestPython.process(["-c", measure] + arguments)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        try #require(fields.count == 2 && fields[0] == 0, "\(arguments) failed: \(text)")
        return fields[1] * 1024
    }
}
