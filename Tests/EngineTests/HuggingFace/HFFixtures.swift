import Foundation
import TestSupport
import Testing

/// The tiny Hugging Face checkpoints `scripts/make_hf_fixtures.py` writes with numpy and
/// safetensors (`llama/`, `qwen2/`, `decilm/`), made once per test run in a temporary directory,
/// and what the script says each holds (`expected.json`).
enum HFFixtures {
    struct Checkpoint: Decodable {
        let parameters: Int
        let tensors: [String: Tensor]
    }

    struct Tensor: Decodable {
        let file: String
        let dtype: String
        let shape: [Int]
        /// FNV-1a 64 of the tensor's bytes as numpy held them, in hex.
        let fnv1a64: String
        /// The first (up to four) values as the stored type holds them.
        let first: [Double]
    }

    struct Made: Sendable {
        let directory: URL
        let expected: [String: Checkpoint]
    }

    struct ScriptFailure: Error, CustomStringConvertible {
        let description: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Made on first use; every test shares the one directory.
    private static let made: Result<Made, ScriptFailure> = make()

    static func directory(_ name: String) throws -> String {
        try made.get().directory.appendingPathComponent(name).path
    }

    static func expected(_ name: String) throws -> Checkpoint {
        try #require(try made.get().expected[name], "expected.json has no \(name)")
    }

    private static func make() -> Result<Made, ScriptFailure> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-hf-fixtures-\(UUID().uuidString)")
        let (python, arguments) = TestPython.process([repositoryRoot.appendingPathComponent("scripts/make_hf_fixtures.py").path, directory.path])
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                return .failure(ScriptFailure(description: "make_hf_fixtures.py failed (run scripts/python-env.sh for numpy, safetensors, ml_dtypes): \(message)"))
            }
            let data = try Data(contentsOf: directory.appendingPathComponent("expected.json"))
            return .success(Made(directory: directory, expected: try JSONDecoder().decode([String: Checkpoint].self, from: data)))
        } catch {
            return .failure(ScriptFailure(description: "make_hf_fixtures.py: \(error)"))
        }
    }

    /// FNV-1a 64, the script's hash of a tensor's bytes.
    static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
