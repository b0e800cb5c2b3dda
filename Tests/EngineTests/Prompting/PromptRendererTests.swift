import Catalog
import ChatTemplates
import Formats
import Foundation
import GenRM
import Testing
import Tokenizers
@testable import Engine

@Suite("Prompt renderer")
struct PromptRendererTests {
    /// A GGUF image with a tiny byte-level vocabulary holding `specials` and, optionally, a template.
    private func file(specials: [String], template: String?) throws -> GGUFFile {
        var writer = try GGUFWriter()
        let tokens = specials + ["a", "b"]
        try writer.add("general.architecture", .string("llama"))
        try writer.add("tokenizer.ggml.model", .string("gpt2"))
        try writer.add("tokenizer.ggml.pre", .string("smollm"))
        try writer.add("tokenizer.ggml.tokens", .array(tokens.map { .string($0) }))
        try writer.add("tokenizer.ggml.token_type", .array(tokens.indices.map { .int32($0 < specials.count ? 3 : 1) }))
        try writer.add("tokenizer.ggml.merges", .array([]))
        try writer.add("tokenizer.ggml.bos_token_id", .uint32(0))
        try writer.add("tokenizer.ggml.eos_token_id", .uint32(1))
        if let template { try writer.add("tokenizer.chat_template", .string(template)) }
        try writer.addTensor("dummy", dimensions: [1], values: [0])
        return try GGUFFile(bytes: writer.bytes())
    }

    private func renderer(_ file: GGUFFile) throws -> PromptRenderer {
        try PromptRenderer.forModel(metadata: file.metadata, tokenizer: try Tokenizer(gguf: file.metadata))
    }

    private let messages = [
        ChatMessage(role: "system", content: "detailed thinking on"),
        ChatMessage(role: "user", content: "  Judge this.  "),
    ]

    @Test func theModelsOwnTemplateWins() throws {
        let own = "{% for m in messages %}[{{ m.role }}|{{ m.content }}]{% endfor %}{% if add_generation_prompt %}>{% endif %}"
        let renderer = try renderer(try file(specials: ["<|im_start|>", "<|im_end|>"], template: own))
        #expect(renderer.origin == .model)
        #expect(try renderer.render(messages) == "[system|detailed thinking on][user|  Judge this.  ]>")
        #expect(try renderer.render(messages, addGenerationPrompt: false) == "[system|detailed thinking on][user|  Judge this.  ]")
    }

    @Test func chatMLVocabularyFallsBackToChatML() throws {
        let renderer = try renderer(try file(specials: ["<|im_start|>", "<|im_end|>"], template: nil))
        #expect(renderer.origin == .builtIn(.chatML))
        #expect(try renderer.render(messages)
            == "<|im_start|>system\ndetailed thinking on<|im_end|>\n<|im_start|>user\n  Judge this.  <|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func llama3VocabularyFallsBackToTheNemotronBaseTemplate() throws {
        let renderer = try renderer(try file(specials: ["<|begin_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>"], template: nil))
        #expect(renderer.origin == .builtIn(.nemotronSuperBase))
        // The same text as the protocol's own Llama 3 rendering of the judging messages.
        #expect(try renderer.render(messages) == Llama3ChatFormat.render(messages))
    }

    @Test func aTemplatesRaiseExceptionIsARequestError() throws {
        let refusing = "{% if messages[0].role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
        let renderer = try renderer(try file(specials: ["<|im_start|>"], template: refusing))
        #expect(throws: PromptRenderingError.template(.raised(message: "System role not supported"))) {
            try renderer.render(messages)
        }
    }

    @Test func aTemplateThatDoesNotParseIsNotReplaced() throws {
        #expect(throws: PromptRenderingError.self) {
            try renderer(try file(specials: ["<|im_start|>"], template: "{% if %}"))
        }
    }

    @Test func smolLM2sOwnTemplateRendersTheJudgingMessagesAsChatML() throws {
        let path = try ModelCache.fromEnvironment().require(.smolLM2).path
        let file = try GGUFFile(path: path)
        let renderer = try renderer(file)
        #expect(renderer.origin == .model)
        let judging = try JudgePromptBuilder.bundled().messages(
            for: try JudgeRequest(history: [HistoryTurn(.user, "What about 1+2?")], responses: ["1+2=4"]))
        let expected = judging.map { "<|im_start|>\($0.role)\n\($0.content)<|im_end|>\n" }.joined() + "<|im_start|>assistant\n"
        #expect(try renderer.render(judging) == expected)
        // Without a system message SmolLM2's template adds its own.
        #expect(try renderer.render([ChatMessage(role: "user", content: "hi")]).hasPrefix("<|im_start|>system\nYou are a helpful AI assistant named SmolLM"))
    }

    @Test func wholeMessageObjectsAndToolsReachTheTemplate() throws {
        let own = "{% for m in messages %}[{{ m.role }}:{{ m.name }}:{{ m.tool_calls | length if m.tool_calls else 0 }}|{{ m.content }}]{% endfor %}"
            + "{% if tools %}<tools {{ tools[0].function.name }}>{% endif %}{{ flavour }}"
        let base = try renderer(try file(specials: ["<|im_start|>", "<|im_end|>"], template: nil))
        #expect(base.origin == .builtIn(.chatML))
        let given = base.replacingTemplate(try ChatTemplate(source: own), source: "test.jinja")
        #expect(given.origin == .given("test.jinja"))
        #expect(given.bosToken == base.bosToken && given.eosToken == base.eosToken)
        let call: TemplateValue = .object(TemplateObject([("id", .string("c1")), ("type", .string("function"))]))
        let objects = [
            TemplateObject([("role", .string("user")), ("content", .string("hi")), ("name", .string("ann"))]),
            TemplateObject([("role", .string("assistant")), ("content", .null), ("tool_calls", .array([call]))]),
        ]
        let tool: TemplateValue = .object(TemplateObject([
            ("type", .string("function")), ("function", .object(TemplateObject([("name", .string("lookup"))]))),
        ]))
        let text = try given.render(
            objects: objects, addGenerationPrompt: false, tools: [tool], extraContext: TemplateObject([("flavour", .string("!"))]))
        #expect(text == "[user:ann:0|hi][assistant::1|]<tools lookup>!")
    }
}
