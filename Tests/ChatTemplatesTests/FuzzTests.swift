import Foundation
import Testing

@testable import ChatTemplates

/// Random, truncated and mutated template sources must never crash the lexer, parser or
/// interpreter: every outcome is a rendering or a `TemplateError`.
@Suite struct FuzzTests {
    /// SplitMix64: small, seedable, and the same on every platform.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let messages: [TemplateValue] = [
        ["role": "system", "content": "sys"],
        ["role": "user", "content": "q \u{1F600}"],
        ["role": "assistant", "content": "<think>r</think>a", "tool_calls": [["function": ["name": "f", "arguments": ["x": 1]]]]],
        ["role": "response_1", "content": "one"],
    ]

    /// Renders when the source parses; any failure must be a `TemplateError`.
    static func exercise(_ source: String) -> Bool {
        do {
            let template = try ChatTemplate(source: source)
            _ = try template.render(
                messages: messages, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>",
                tools: [["type": "function", "function": ["name": "f", "parameters": ["type": "object"]]]],
                options: .init(now: { Fixtures.goldenNow }, maximumOutputBytes: 1 << 20))
            return true
        } catch is TemplateError {
            return false
        } catch {
            Issue.record("non-template error \(error) for source \(source.debugDescription)")
            return false
        }
    }

    @Test("every prefix of every corpus template", arguments: Fixtures.templateFiles)
    func truncatedTemplates(file: String) throws {
        let scalars = Array(try Fixtures.text("templates/" + file).unicodeScalars)
        var rendered = 0
        for end in stride(from: 0, through: scalars.count, by: 2) {
            if Self.exercise(PyString.make(scalars[..<end])) { rendered += 1 }
        }
        #expect(rendered > 0)
    }

    @Test func mutatedTemplates() throws {
        var random = Generator(state: 0x5EED)
        let fragments: [String] = ["{%", "%}", "{{", "}}", "{#", "#}", "-", "+", "(", ")", "[", "]", "'", "\"", "|", ".", "\n", " ", "\\"]
        for file in Fixtures.templateFiles {
            let original = Array(try Fixtures.text("templates/" + file).unicodeScalars)
            for _ in 0..<150 {
                var scalars = original
                for _ in 0..<Int.random(in: 1...4, using: &random) where !scalars.isEmpty {
                    let index = Int.random(in: 0..<scalars.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: scalars.remove(at: index)
                    case 1: scalars.insert(contentsOf: (fragments.randomElement(using: &random) ?? "").unicodeScalars, at: index)
                    default: scalars.swapAt(index, Int.random(in: 0..<scalars.count, using: &random))
                    }
                }
                _ = Self.exercise(PyString.make(scalars))
            }
        }
    }

    @Test func randomTokenSoup() {
        var random = Generator(state: 42)
        let vocabulary: [String] = [
            "{%", "%}", "{%-", "-%}", "{{", "}}", "{{-", "-}}", "{#", "#}", "{%+", "+%}", " ", "\n", "  ",
            "if", "elif", "else", "endif", "for", "in", "endfor", "set", "endset", "macro", "endmacro", "call",
            "endcall", "filter", "endfilter", "with", "endwith", "raw", "endraw", "break", "continue", "recursive",
            "generation", "endgeneration", "not", "and", "or", "is", "defined", "none", "true", "string", "mapping",
            "x", "m", "messages", "loop", "ns", "namespace", "range", "raise_exception", "caller", "varargs", "tools",
            "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "=", "==", "!=", "<", ">=", "+", "-", "*", "/", "//",
            "%", "**", "~", "'a'", "\"b\"", "'\\n'", "0", "1", "2", "-1", "1.5", "1e3", "trim", "tojson", "length",
            "join", "map", "select", "items", "upper", "default", "first", "last", "list", "selectattr", "indent",
            "content", "role", "split", "strip", "startswith", "format", "get", "text ", "é", "😀", "\\",
        ]
        var parsed = 0
        for _ in 0..<4000 {
            let count = Int.random(in: 1...30, using: &random)
            let source = (0..<count).map { _ in vocabulary.randomElement(using: &random) ?? "" }.joined()
            if (try? ChatTemplate(source: source)) != nil { parsed += 1 }
            _ = Self.exercise(source)
        }
        #expect(parsed > 100)
    }

    @Test func randomCharacters() {
        var random = Generator(state: 7)
        let alphabet = Array("{}%#-+()[]'\"|.,:=<>!~*/ \n\tabcxyz019_\\é😀\r\u{0}".unicodeScalars)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...60, using: &random)
            let scalars = (0..<length).map { _ in alphabet.randomElement(using: &random) ?? " " }
            _ = Self.exercise(PyString.make(scalars))
        }
    }

    @Test func deepNestingIsASyntaxError() {
        for source in ["{{ " + String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300) + " }}",
            "{{ x" + String(repeating: "|trim", count: 300) + " }}", "{{ 1" + String(repeating: " + 1", count: 300) + " }}"]
        {
            #expect(throws: TemplateError.self) { try ChatTemplate(source: source) }
        }
        #expect((try? ChatTemplate(source: "{{ x" + String(repeating: "|trim", count: 50) + " }}")) != nil)
    }

    @Test func deepNestingIsRefusedNotACrash() {
        for depth in [10, 100, 1000, 20000] {
            _ = Self.exercise("{{ " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + " }}")
            _ = Self.exercise(String(repeating: "{% if true %}", count: depth) + "x" + String(repeating: "{% endif %}", count: depth))
            _ = Self.exercise("{{ " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + " }}")
            _ = Self.exercise("{{ " + String(repeating: "not ", count: depth) + "x }}")
            _ = Self.exercise("{{ " + String(repeating: "-", count: depth) + "1 }}")
            _ = Self.exercise("{{ x" + String(repeating: "|trim", count: depth) + " }}")
            _ = Self.exercise("{{ 1" + String(repeating: " + 1", count: depth) + " }}")
        }
    }

    @Test func truncatedJSONNeverCrashes() throws {
        let text = Array(try Fixtures.text("golden/constructs.json").utf8.prefix(4000))
        for end in 0...text.count {
            _ = try? TemplateValue(json: Data(text[..<end]))
        }
    }
}
