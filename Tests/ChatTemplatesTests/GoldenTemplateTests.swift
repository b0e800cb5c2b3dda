import Foundation
import Testing

@testable import ChatTemplates

/// Every real template of the corpus, rendered over the golden conversations, must match Python
/// jinja2 (configured as transformers configures it) byte for byte, and fail where it fails.
@Suite struct GoldenTemplateTests {
    @Test("corpus has at least 12 real templates with provenance")
    func corpusSize() throws {
        #expect(Fixtures.templateFiles.count >= 12)
        let sources = try Fixtures.text("templates/SOURCES.md")
        for file in Fixtures.templateFiles {
            #expect(sources.contains(file), "SOURCES.md does not list \(file)")
        }
    }

    @Test("renders like transformers", arguments: Fixtures.templateFiles)
    func matchesPython(file: String) throws {
        let template = try ChatTemplate(source: try Fixtures.text("templates/" + file))
        let stem = (file as NSString).deletingPathExtension
        let golden = try Fixtures.json("golden/\(stem).json")
        let cases = try #require(golden["cases"]?.arrayValue)
        #expect(!cases.isEmpty)
        var checked = 0
        defer { #expect(checked == cases.count, "\(file): checked \(checked) of \(cases.count) cases") }
        for testCase in cases {
            checked += 1
            let name = testCase["name"]?.stringValue ?? "?"
            let expected = try #require(testCase["expected"]?.objectValue)
            let render = {
                try template.render(
                    messages: testCase["messages"]?.arrayValue ?? [],
                    addGenerationPrompt: testCase["add_generation_prompt"] == .bool(true),
                    bosToken: golden["bos_token"]?.stringValue,
                    eosToken: golden["eos_token"]?.stringValue,
                    tools: testCase["tools"]?.arrayValue,
                    documents: testCase["documents"]?.arrayValue,
                    extraContext: testCase["kwargs"]?.objectValue ?? [:],
                    options: .init(now: { Fixtures.goldenNow }))
            }
            if let output = expected["output"]?.stringValue {
                do {
                    let rendered = try render()
                    #expect(rendered == output, "\(file) \(name)")
                    if rendered != output { reportFirstDifference(rendered, output, "\(file) \(name)") }
                } catch {
                    Issue.record("\(file) \(name): unexpected error \(error)")
                }
            } else {
                let error = try #require(expected["error"]?.objectValue)
                do {
                    _ = try render()
                    Issue.record("\(file) \(name): rendered, but Python failed with \(error["message"]?.stringValue ?? "")")
                } catch let failure as TemplateError {
                    if error["kind"]?.stringValue == "raised" {
                        #expect(failure == .raised(message: error["message"]?.stringValue ?? ""), "\(file) \(name)")
                    } else if case .raised = failure {
                        Issue.record("\(file) \(name): raise_exception where Python failed otherwise: \(failure)")
                    }
                }
            }
        }
    }

    private func reportFirstDifference(_ actual: String, _ expected: String, _ label: String) {
        let a = Array(actual.unicodeScalars)
        let b = Array(expected.unicodeScalars)
        let index = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        let context = { (s: [Unicode.Scalar]) in
            String(String.UnicodeScalarView(s[max(0, index - 40)..<min(s.count, index + 40)]))
        }
        Issue.record("\(label): first difference at code point \(index)\n swift: \(context(a).debugDescription)\n python: \(context(b).debugDescription)")
    }
}
