import Foundation
import Formats
import Testing

@testable import Tokenizers

/// Where the tests find fixtures and the fetched assets, and the real tokenizers loaded once.
enum TestAssets {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static var cacheDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["GENRM_CACHE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/genrm")
    }

    /// A fetched asset; a missing one is an error telling how to fetch it.
    static func asset(_ relativePath: String) throws -> URL {
        let url = cacheDirectory.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Missing(description: "\(url.path) is missing: run scripts/fetch-assets.sh (make test does)")
        }
        return url
    }

    static var fixtures: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
                throw Missing(description: "the TokenizersTests Fixtures resource is missing from the bundle")
            }
            return url
        }
    }

    /// The corpus files' names (without `.txt`), sorted.
    static func corpusNames() throws -> [String] {
        let dir = try fixtures.appendingPathComponent("corpus")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".txt") }
            .map { String($0.dropLast(4)) }
            .sorted()
        return names
    }

    static func corpusText(_ name: String) throws -> String {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("corpus/\(name).txt"))
        guard let text = String(data: data, encoding: .utf8) else {
            throw Missing(description: "corpus/\(name).txt is not UTF-8")
        }
        return text
    }

    /// A golden file of decimal numbers separated by spaces.
    static func numbers(_ relativePath: String) throws -> [Int] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("golden/\(relativePath)"), encoding: .utf8)
        return try text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { field in
            guard let n = Int(field) else { throw Missing(description: "golden/\(relativePath): '\(field)' is not a number") }
            return n
        }
    }

    static let smolLM2Result: Result<Tokenizer, any Error> = Result {
        let file = try GGUFFile(path: asset("models/SmolLM2-135M-Instruct.Q4_1.gguf").path)
        return try Tokenizer(gguf: file.metadata)
    }

    static let llama3Result: Result<Tokenizer, any Error> = Result {
        let data = try Data(contentsOf: asset("tokenizers/llama3/tokenizer.json"))
        return try Tokenizer(tokenizerJSON: data)
    }

    static let gemma3Path = "models/gemma-3-270m-Q4_K_M.gguf"

    static let gemma3Result: Result<Tokenizer, any Error> = Result {
        let file = try GGUFFile(path: cacheDirectory.appendingPathComponent(gemma3Path).path)
        return try Tokenizer(gguf: file.metadata)
    }

    /// Gemma 3's SentencePiece tokenizer from its GGUF; a missing file fails naming its fetch
    /// script.
    static func gemma3() throws -> Tokenizer {
        let path = cacheDirectory.appendingPathComponent(gemma3Path).path
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path): run scripts/fetch-gemma3.sh")
        return try gemma3Result.get()
    }

    /// The SmolLM2 tokenizer from its GGUF.
    static func smolLM2() throws -> Tokenizer { try smolLM2Result.get() }

    /// Llama 3's tokenizer from its tokenizer.json.
    static func llama3() throws -> Tokenizer { try llama3Result.get() }

    static func tokenizer(named vocabulary: String) throws -> Tokenizer {
        vocabulary == "smollm2" ? try smolLM2() : try llama3()
    }
}

/// Describes the first difference between two id sequences, with some ids of context and the
/// text around it, or nil when they are equal.
func firstDifference(_ actual: [Int], _ expected: [Int], tokenizer: Tokenizer) -> String? {
    guard actual != expected else { return nil }
    let position = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actual.count, expected.count)
    let from = max(0, position - 5)
    func window(_ ids: [Int]) -> String {
        let slice = Array(ids[min(from, ids.count)..<min(position + 6, ids.count)])
        let text = (try? tokenizer.decode(slice)) ?? "?"
        return "\(slice) \(text.debugDescription)"
    }
    return "first difference at id \(position) (lengths \(actual.count) vs \(expected.count)):\n"
        + "  swift:  \(window(actual))\n  golden: \(window(expected))"
}
