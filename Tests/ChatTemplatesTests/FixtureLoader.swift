import Foundation
import Testing

@testable import ChatTemplates

/// Reads the committed fixtures: templates, their provenance manifest and the golden renderings
/// produced by `scripts/golden_templates.py`.
enum Fixtures {
    struct Missing: Error {}

    static func root() throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { throw Missing() }
        return url
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: try root().appendingPathComponent(path))
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self)
    }

    static func json(_ path: String) throws -> TemplateValue {
        try TemplateValue(json: try data(path))
    }

    /// The manifest's template files, in manifest order.
    static let templateFiles: [String] = {
        guard let manifest = try? json("templates/manifest.json"), case .array(let entries) = manifest else { return [] }
        return entries.compactMap { entry in
            if case .string(let file)? = entry["file"] { return file }
            return nil
        }
    }()

    /// 2025-01-15 10:30:00 in the local time zone: the golden script's fixed `datetime.now()`.
    static let goldenNow: Date = {
        var components = DateComponents()
        (components.year, components.month, components.day) = (2025, 1, 15)
        (components.hour, components.minute, components.second) = (10, 30, 0)
        return Calendar(identifier: .gregorian).date(from: components) ?? Date(timeIntervalSince1970: 0)
    }()
}

extension TemplateValue {
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var arrayValue: [TemplateValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var objectValue: TemplateObject? {
        if case .object(let object) = self { return object }
        return nil
    }
}
