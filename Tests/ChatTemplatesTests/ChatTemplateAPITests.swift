import Foundation
import Testing

@testable import ChatTemplates

@Suite struct ChatTemplateAPITests {
    @Test func syntaxErrorNamesLineAndColumn() {
        #expect(throws: TemplateError.syntax(line: 2, column: 8, message: "unexpected 'end of print statement'")) {
            try ChatTemplate(source: "line one\n{{ 1 + }}")
        }
        #expect(throws: TemplateError.syntax(line: 3, column: 4, message: "Encountered unknown tag 'frobnicate'.")) {
            try ChatTemplate(source: "a\nb\n{% frobnicate %}")
        }
        #expect(throws: TemplateError.syntax(line: 1, column: 6, message: "No filter named 'nope'.")) {
            try ChatTemplate(source: "{{ x|nope }}")
        }
    }

    @Test func unclosedBlockNamesTheBlock() throws {
        do {
            _ = try ChatTemplate(source: "{% for m in messages %}\n{% if m %}x{% endfor %}")
            Issue.record("parsed an unbalanced template")
        } catch TemplateError.syntax(let line, _, let message) {
            #expect(line == 2)
            #expect(message.contains("'endfor'"))
            #expect(message.contains("innermost block that needs to be closed is 'if'"))
        }
    }

    @Test func raiseExceptionIsATypedRequestError() throws {
        let template = try ChatTemplate(source: """
            {%- if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}ok
            """)
        #expect(try template.render(messages: [["role": "user", "content": "hi"]]) == "ok")
        #expect(throws: TemplateError.raised(message: "System role not supported")) {
            try template.render(messages: [["role": "system", "content": "s"]])
        }
        #expect(TemplateError.raised(message: "System role not supported").description == "System role not supported")
    }

    @Test func runtimeErrorsCarryTheirLocation() throws {
        let template = try ChatTemplate(source: "ok\n  {{ messages[0].content.missing.deeper }}")
        do {
            _ = try template.render(messages: [["role": "user", "content": "x"]])
            Issue.record("rendered an attribute of an undefined value")
        } catch TemplateError.runtime(let line, _, let message) {
            #expect(line == 2)
            #expect(message == "'str object' has no attribute 'missing'")
        }
    }

    /// PROTOCOL.md section 2: the Nemotron-Super base template renders the GenRM prompt with BOS
    /// once, Llama 3 headers, and trimmed contents.
    @Test func nemotronBaseMatchesTheProtocolLayout() throws {
        let template = try ChatTemplate(source: try Fixtures.text("templates/nvidia-Llama-3_3-Nemotron-Super-49B-v1.jinja"))
        let rendered = try template.render(
            messages: [
                ["role": "system", "content": "detailed thinking on"],
                ["role": "user", "content": "  judge this \n"],
            ],
            addGenerationPrompt: true, bosToken: "<|begin_of_text|>", eosToken: "<|eot_id|>")
        #expect(rendered == """
            <|begin_of_text|><|start_header_id|>system<|end_header_id|>

            detailed thinking on<|eot_id|><|start_header_id|>user<|end_header_id|>

            judge this<|eot_id|><|start_header_id|>assistant<|end_header_id|>


            """)
    }

    @Test func customRolesPassThroughUnchanged() throws {
        let template = try ChatTemplate(source: try Fixtures.text("templates/HuggingFaceTB-SmolLM2-135M-Instruct.gguf.jinja"))
        let rendered = try template.render(messages: [
            ["role": "user", "content": "q"], ["role": "response_1", "content": "a1"], ["role": "response_2", "content": "a2"],
        ])
        #expect(rendered.hasSuffix("<|im_start|>response_1\na1<|im_end|>\n<|im_start|>response_2\na2<|im_end|>\n"))
    }

    @Test func messagesAreNormalisedLikeTransformers() throws {
        let template = try ChatTemplate(source: "{% for m in messages %}{{ m | tojson }}\n{% endfor %}")
        let rendered = try template.render(messages: [
            ["role": "assistant", "content": "x", "tool_calls": nil],
            ["role": "assistant", "content": "y", "reasoning": "why"],
        ])
        #expect(rendered == """
            {"role": "assistant", "content": "x"}
            {"thinking": "why", "role": "assistant", "content": "y", "reasoning": "why", "reasoning_content": "why"}

            """)
    }

    @Test func contextVariables() throws {
        let template = try ChatTemplate(source:
            "{{ tools is none }}|{{ documents is none }}|{{ bos_token }}|{{ eos_token is defined }}|{{ add_generation_prompt }}|{{ enable_thinking }}")
        let rendered = try template.render(
            messages: [], addGenerationPrompt: true, bosToken: "<s>", extraContext: ["enable_thinking": false])
        #expect(rendered == "True|True|<s>|False|True|False")
        #expect(throws: TemplateError.self) {
            try template.render(messages: [], extraContext: ["messages": []])
        }
    }

    @Test func keyOrderSurvivesFromJSONToOutput() throws {
        let value = try TemplateValue(json: #"{"zeta": 1, "alpha": {"y": [true, null, 2.5], "b": "é"}, "mid": 3}"#)
        let template = try ChatTemplate(source: "{{ v | tojson }}|{% for k in v %}{{ k }}{% endfor %}|{{ v.alpha | tojson(indent=1) }}")
        #expect(try template.render(context: ["v": value]) == """
            {"zeta": 1, "alpha": {"y": [true, null, 2.5], "b": "é"}, "mid": 3}|zetaalphamid|{
             "y": [
              true,
              null,
              2.5
             ],
             "b": "é"
            }
            """)
    }

    @Test func outputLimitStopsRunawayTemplates() throws {
        let template = try ChatTemplate(source: "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}")
        #expect(throws: TemplateError.self) {
            try template.render(context: [:], options: .init(maximumOutputBytes: 1 << 20))
        }
    }

    @Test func macroRecursionIsBounded() throws {
        let template = try ChatTemplate(source: "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")
        #expect(throws: TemplateError.self) { try template.render(context: [:]) }
    }

    @Test func strftimeNowReadsTheClock() throws {
        let template = try ChatTemplate(source: "{{ strftime_now('%d %b %Y') }}")
        #expect(try template.render(context: [:], options: .init(now: { Fixtures.goldenNow })) == "15 Jan 2025")
    }
}

@Suite struct TemplateJSONTests {
    @Test func parsesLikePythonJSON() throws {
        let value = try TemplateValue(json: #"{"b": 1, "a": [1.0, -2, 3e2, "\u00e9\ud83d\ude00\n", false, null], "b": 9}"#)
        #expect(value == .object(TemplateObject([
            ("b", 9),
            ("a", [.double(1.0), -2, .double(300), "é😀\n", false, nil]),
        ])))
        guard case .double(let notANumber) = try TemplateValue(json: "NaN") else {
            Issue.record("NaN did not parse as a double")
            return
        }
        #expect(notANumber.isNaN)
    }

    @Test func errorsNameTheOffset() {
        #expect(throws: TemplateError.json(offset: 7, message: "expected ',' or '}' in object")) {
            try TemplateValue(json: #"{"a":1 "b":2}"#)
        }
        #expect(throws: TemplateError.json(offset: 1, message: "not valid UTF-8")) {
            try TemplateValue(json: Data([0x22, 0xFF, 0x22]))
        }
        #expect(throws: TemplateError.self) { try TemplateValue(json: String(repeating: "[", count: 10_000)) }
        #expect(throws: TemplateError.self) { try TemplateValue(json: #""\ud800""#) }
        #expect(throws: TemplateError.self) { try TemplateValue(json: "123456789012345678901234567890") }
    }
}

@Suite struct TemplateSelectionTests {
    @Test func singleString() throws {
        #expect(try TemplateSelection.choose(fromConfigValue: "T") == "T")
    }

    @Test func namedList() throws {
        let config = try TemplateValue(json: """
            {"chat_template": [{"name": "default", "template": "D"}, {"name": "tool_use", "template": "U"},
                               {"name": "rag", "template": "R"}]}
            """)
        #expect(try TemplateSelection.choose(fromTokenizerConfig: config) == "D")
        #expect(try TemplateSelection.choose(fromTokenizerConfig: config, hasTools: true) == "U")
        #expect(try TemplateSelection.choose(fromTokenizerConfig: config, name: "rag") == "R")
        #expect(throws: TemplateError.self) { try TemplateSelection.choose(fromTokenizerConfig: config, name: "x") }
        #expect(try TemplateSelection.choose(fromTokenizerConfig: ["other": 1]) == nil)
    }

    @Test func noDefaultIsAnError() {
        #expect(throws: TemplateError.selection(message:
            "This model has multiple chat templates with no default specified! Please either pass a chat template or the name of the template you wish to use to the `chat_template` argument. Available template names are ['a', 'b']."))
        {
            try TemplateSelection.choose(from: ["b": "B", "a": "A"])
        }
    }
}

@Suite struct BuiltinChatTemplateTests {
    /// The built-ins are the golden-tested fixture files, character for character.
    @Test(arguments: [
        (BuiltinChatTemplate.chatML, "builtin-chatml.jinja"),
        (BuiltinChatTemplate.llama3, "builtin-llama3.jinja"),
        (BuiltinChatTemplate.gemma, "builtin-gemma.jinja"),
        (BuiltinChatTemplate.nemotronSuperBase, "nvidia-Llama-3_3-Nemotron-Super-49B-v1.jinja"),
    ])
    func matchesFixture(builtin: BuiltinChatTemplate, file: String) throws {
        #expect(builtin.source == (try Fixtures.text("templates/" + file)))
        _ = try builtin.template()
    }
}
