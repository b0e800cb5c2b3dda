import Catalog
import Foundation
import Testing
@testable import Engine

/// Repacked weights are not kept twice: once a model is loaded, the pages of the GGUF mapping
/// whose tensors were repacked are let go, so the mapping's resident part is a small fraction of
/// the file (norms, metadata, the embedding rows looked up) rather than all of it.
@Suite struct RepackedResidencyTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/smaps"), "reads /proc"))
    func loadedModelKeepsFewMappedPagesResident() throws {
        let path = try ModelCache.fromEnvironment().require(.smolLM2).path
        let model = try EmbeddedModel(path: path)
        let file = try #require(model.file)
        let session = InferenceSession(model: model.network)
        try session.prefill(model.tokenizer.encode("The lighthouse keeper", parseSpecial: false))
        let resident = try Self.residentBytes(ofMappingAt: file.fileBytes.baseAddress)
        let mapping = try #require(resident, "no smaps entry")
        #if arch(x86_64) && os(Linux)
        #expect(mapping < file.fileSize / 4, "\(mapping) of \(file.fileSize) bytes of the mapping resident")
        #endif
        #expect(session.logits.allSatisfy { $0.isFinite })
    }

    /// `Rss` of the /proc/self/smaps entry whose range holds `address`, in bytes.
    static func residentBytes(ofMappingAt address: UnsafeRawPointer?) throws -> Int? {
        let target = UInt(bitPattern: address)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        var inside = false
        for line in String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if !first.hasSuffix(":"), first.contains("-") {
                let bounds = first.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= target && target < bounds[1]
            } else if inside, first == "Rss:", fields.count >= 2, let kilobytes = Int(fields[1]) {
                return kilobytes * 1024
            }
        }
        return nil
    }
}
