import Foundation
@testable import GenRM
import Testing

@Suite struct JudgePromptTests {
    let request: JudgeRequest

    init() throws {
        request = try JudgeRequest(messages: messages(
            ("system", "Be brief."), ("user", "Q1"), ("assistant", "A1"), ("user", "Q2"), ("response_1", "R1"), ("response_2", "R2")))
    }

    @Test func buildsContextAndResponseBlocks() throws {
        #expect(JudgePromptBuilder.context(of: request) == "System: Be brief.\nUser: Q1\nAssistant: A1\nUser: Q2")
        #expect(JudgePromptBuilder.responses(of: request)
            == "[The Begin of Response 1]\nR1\n[The End of Response 1]\n[The Begin of Response 2]\nR2\n[The End of Response 2]\n")
        let one = try JudgeRequest(messages: messages(("user", "Q"), ("response_1", "R")))
        #expect(JudgePromptBuilder.responses(of: one) == "[The Begin of Response 1]\nR\n[The End of Response 1]")
    }

    @Test func messagesAreTheThinkingSwitchAndOneUserMessage() throws {
        let builder = try JudgePromptBuilder.bundled()
        let judging = builder.messages(for: request)
        #expect(judging.map(\.role) == ["system", "user"])
        #expect(judging[0].content == "detailed thinking on")
        #expect(judging[1].content == builder.userPrompt(for: request))
        #expect(try JudgePromptBuilder.bundled(thinking: false).messages(for: request)[0].content == "detailed thinking off")
    }

    @Test func fillsPlaceholdersInOnePass() throws {
        let template = try JudgePromptTemplate(text: "<{responses}|{context}>")
        #expect(template.filled(context: "{responses}", responses: "{context}") == "<{context}|{responses}>")
    }

    @Test func templateNeedsEachPlaceholderOnce() {
        #expect(throws: PromptTemplateError.placeholderCount(placeholder: "{context}", count: 0)) {
            try JudgePromptTemplate(text: "{responses}")
        }
        #expect(throws: PromptTemplateError.placeholderCount(placeholder: "{responses}", count: 2)) {
            try JudgePromptTemplate(text: "{context}{responses}{responses}")
        }
    }

    @Test func bundledTemplateIsTheSharedPromptText() throws {
        let bundled = try JudgePromptTemplate.bundled()
        #expect(bundled.text.hasPrefix("You are a skilled little expert at scoring responses."))
        #expect(bundled.text.contains("(the last turn is the User's query)"))
        #expect(bundled.text.contains("\\boxed{x, y} if there exists 2 responses\n"))
        #expect(bundled.text.contains("\\boxed{z} \n"))
        #expect(bundled.text.hasSuffix("You don't need to give a ranking score if only one response is provided."))
    }

    @Test func variantsChangeOnlyTheirLines() throws {
        let base = try JudgePromptTemplate.bundled().text
        let curly = try JudgePromptTemplate.bundled(PromptVariant(apostrophe: .curly)).text
        #expect(curly == base.replacingOccurrences(of: "User's query", with: "User\u{2019}s query"))
        #expect(curly.contains("user's request"))
        let ranking = try JudgePromptTemplate.bundled(PromptVariant(boxedSuffix: .ranking)).text
        #expect(ranking.contains("\\boxed{x, y} \n[The End of Individual Scores]"))
        #expect(ranking.contains("\\boxed{z} if there exists 2 responses\n[The End of Ranking Score]"))
        #expect(ranking.utf8.count == base.utf8.count)
    }

    @Test func llama3RenderingTrimsLikePython() {
        let rendered = Llama3ChatFormat.render([
            ChatMessage(role: "system", content: "\u{1C} sys \u{3000}"),
            ChatMessage(role: "user", content: "\n\t x \u{301}\u{200B}\n"),
        ])
        // U+001C and U+3000 are Python whitespace; U+200B is not, and a combining mark keeps its space.
        #expect(rendered == "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nsys<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nx \u{301}\u{200B}<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n")
        #expect(Llama3ChatFormat.render([], addGenerationPrompt: false) == "<|begin_of_text|>")
    }

    @Test func promptTextIsTheRenderedMessages() throws {
        let prompt = try JudgePromptBuilder.bundled().prompt(for: request)
        #expect(prompt.text == Llama3ChatFormat.render(prompt.messages))
        #expect(prompt.text.hasSuffix("<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"))
    }

    @Test func swappedRequestSwapsTheBlocks() throws {
        let builder = try JudgePromptBuilder.bundled()
        let swapped = builder.userPrompt(for: try request.swapped())
        #expect(swapped.contains("[The Begin of Response 1]\nR2\n[The End of Response 1]\n[The Begin of Response 2]\nR1\n"))
    }

    /// The compiled-in prompt is the repository's `judge-prompt.txt`, byte for byte (a copied
    /// `genrm` needs no bundle beside it).
    @Test func theCompiledInPromptIsTheRepositoryFile() throws {
        let file = TestFiles.repositoryRoot.appendingPathComponent("Sources/GenRM/Resources/judge-prompt.txt")
        let kept = try String(contentsOf: file, encoding: .utf8)
        #expect(EmbeddedJudgePrompt.text == kept, "run scripts/embed_resources.py")
        #expect(try JudgePromptTemplate.bundled().text == kept)
    }
}
