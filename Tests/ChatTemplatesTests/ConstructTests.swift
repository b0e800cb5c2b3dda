import Foundation
import Testing

@testable import ChatTemplates

/// One small template per construct the issue lists (whitespace control, loops, macros, filters,
/// tests, methods, slices, operators, globals, errors), rendered by Python jinja2 in
/// `scripts/golden_templates.py` and here; outputs must match byte for byte, failures must fail
/// the same way (raise_exception with the same message, syntax errors at the same line).
@Suite struct ConstructTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let source: String
        let context: TemplateObject
        let expected: TemplateObject
        var testDescription: String { name }
    }

    static let cases: [Case] = load("golden/constructs.json")
    /// Seeded random expression templates (scripts/templates/random_templates.py): a differential
    /// test against jinja2 over combinations no one would write by hand.
    static let randomCases: [Case] = load("golden/random.json")

    static func load(_ path: String) -> [Case] {
        guard let golden = try? Fixtures.json(path), let entries = golden["cases"]?.arrayValue else { return [] }
        return entries.compactMap { entry in
            guard let name = entry["name"]?.stringValue, let source = entry["source"]?.stringValue,
                let expected = entry["expected"]?.objectValue
            else { return nil }
            return Case(name: name, source: source, context: entry["context"]?.objectValue ?? [:], expected: expected)
        }
    }

    @Test func goldenLoaded() {
        #expect(Self.cases.count > 100)
        #expect(Self.randomCases.count > 500)
    }

    @Test(arguments: cases)
    func construct(_ testCase: Case) throws {
        try check(testCase)
    }

    @Test(arguments: randomCases)
    func randomExpression(_ testCase: Case) throws {
        try check(testCase)
    }

    private func check(_ testCase: Case) throws {
        let options = ChatTemplate.Options(now: { Fixtures.goldenNow })
        if let output = testCase.expected["output"]?.stringValue {
            let template = try ChatTemplate(source: testCase.source)
            let rendered = try template.render(context: testCase.context, options: options)
            #expect(rendered == output, "swift: \(rendered.debugDescription)\npython: \(output.debugDescription)")
            return
        }
        let error = try #require(testCase.expected["error"]?.objectValue)
        let kind = error["kind"]?.stringValue
        let message = error["message"]?.stringValue ?? ""
        do {
            let template = try ChatTemplate(source: testCase.source)
            #expect(kind != "syntax", "parsed, but Python rejects it: \(message)")
            _ = try template.render(context: testCase.context, options: options)
            Issue.record("rendered, but Python failed with: \(message)")
        } catch let failure as TemplateError {
            switch (kind, failure) {
            case ("raised", .raised(let actual)):
                #expect(actual == message)
            case ("syntax", .syntax(let line, _, _)):
                if case .int(let expectedLine)? = error["line"] { #expect(line == expectedLine) }
            case ("error", .runtime):
                break
            default:
                Issue.record("expected a \(kind ?? "?") error (\(message)), got \(failure)")
            }
        }
    }
}
