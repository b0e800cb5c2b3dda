import Foundation
import Testing
@testable import Eval

/// Files the tests read and write: committed fixtures, the shared benchmark data, and a fresh
/// temporary folder per test.
enum EvalFiles {
    /// Tests/EvalTests/EvalTestSupport.swift -> the repository root.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared benchmark data, where the harness reads it by default (`../shared/data`
    /// relative to the repository root), unless $GENRM_DATA says otherwise.
    static var sharedData: String {
        DataLocation.root(explicit: nil).hasPrefix("/")
            ? DataLocation.root(explicit: nil)
            : repositoryRoot.appendingPathComponent(DataLocation.root(explicit: nil)).standardizedFileURL.path
    }

    static func fixture(_ relativePath: String) throws -> URL {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/\(relativePath)")
        try #require(FileManager.default.fileExists(atPath: url.path), "missing fixture \(relativePath)")
        return url
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-eval-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    static func jsonLine(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// A results line for scoring tests.
func record(
    _ benchmark: Benchmark, item: String, category: String, pair: String, chosen: Int, ranking: Double?,
    failures: Int = 0, model: String = "scripted", error: String? = nil
) -> ResultRecord {
    ResultRecord(
        benchmark: benchmark, item: item, category: category, pair: pair, chosenPosition: chosen, ranking: ranking,
        votes: ranking.map { [Int($0.rounded(.down))] } ?? [], scores: ranking == nil ? nil : [3, 3],
        failures: failures, model: model, seed: 1, error: error)
}
