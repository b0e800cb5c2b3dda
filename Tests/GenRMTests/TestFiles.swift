import Foundation
import GenRM
import TestSupport
import Testing

/// Files the tests read: fixtures from the test bundle, and the README's examples from the
/// repository (so that the documented examples stay correct).
enum TestFiles {
    /// Tests/GenRMTests/TestFiles.swift -> the repository root.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixtureURL(_ relativePath: String) throws -> URL {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/\(relativePath)")
        try #require(FileManager.default.fileExists(atPath: url.path), "missing fixture \(relativePath)")
        return url
    }

    static func fixture(_ relativePath: String) throws -> Data {
        try Data(contentsOf: fixtureURL(relativePath))
    }

    static func fixtureText(_ relativePath: String) throws -> String {
        try #require(String(data: fixture(relativePath), encoding: .utf8))
    }

    static func example(_ name: String) throws -> String {
        let url = repositoryRoot.appendingPathComponent("examples/\(name)")
        return try #require(String(data: Data(contentsOf: url), encoding: .utf8))
    }
}

/// Builds message lists compactly: `messages(("user", "hi"), ("response_1", "hello"))`.
func messages(_ pairs: (String, String)...) -> [ChatMessage] {
    pairs.map { ChatMessage(role: $0.0, content: $0.1) }
}
