import Foundation
import GenRM
import Testing

/// The judging prompt against golden renders made by `scripts/golden_prompts.py`, an independent
/// Python implementation of PROTOCOL.md section 2 rendered with jinja2. Byte for byte.
@Suite struct JudgePromptGoldenTests {
    static let cases = [
        "card-one-response", "card-two-responses", "multi-turn-system", "multilingual",
        "variant-curly-ranking-nothink-keep",
    ]

    /// The options a case was generated with (`<name>.options.json`).
    struct CaseOptions: Decodable {
        var thinking: Bool
        var apostrophe: PromptVariant.Apostrophe
        var boxedSuffix: PromptVariant.BoxedSuffix
        var stripCandidateReasoning: Bool

        enum CodingKeys: String, CodingKey {
            case thinking, apostrophe
            case boxedSuffix = "boxed_suffix"
            case stripCandidateReasoning = "strip_candidate_reasoning"
        }
    }

    @Test(arguments: cases)
    func rendersExactlyAsTheReference(name: String) throws {
        let options = try JSONDecoder().decode(CaseOptions.self, from: TestFiles.fixture("prompts/\(name).options.json"))
        let request = try JudgeRequest(
            json: TestFiles.fixture("prompts/\(name).request.json"),
            options: RequestOptions(stripsCandidateReasoning: options.stripCandidateReasoning))
        let builder = try JudgePromptBuilder.bundled(
            variant: PromptVariant(apostrophe: options.apostrophe, boxedSuffix: options.boxedSuffix),
            thinking: options.thinking)
        let prompt = builder.prompt(for: request)

        let expectedText = try TestFiles.fixture("prompts/\(name).txt")
        #expect(Data(prompt.text.utf8) == expectedText)
        let expected = try JSONDecoder().decode(JudgePrompt.self, from: TestFiles.fixture("prompts/\(name).expected.json"))
        #expect(prompt.messages == expected.messages)
        #expect(Data(expected.text.utf8) == expectedText)
    }

    @Test func theCardsRequestsPutTheResponsesInBlocks() throws {
        let text = try TestFiles.fixtureText("prompts/card-two-responses.txt")
        #expect(text.contains("""
            #### Conversation Context ####
            User: What is 1+1?
            Assistant: 1+1=2
            User: What about 1+2?

            #### Responses to be Scored ####
            [The Begin of Response 1]
            1+2=4
            [The End of Response 1]
            [The Begin of Response 2]
            1+2=3
            [The End of Response 2]


            #### Output Format Requirements ####
            """))
    }
}
