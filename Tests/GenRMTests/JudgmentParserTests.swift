import Foundation
import GenRM
import Testing

/// The output parser (PROTOCOL.md section 3): the model card's examples, what it tolerates, and
/// every failure, each keeping the raw text.
@Suite struct JudgmentParserTests {
    /// A two-response final answer with the given boxes, after a short reasoning.
    func output(scores: String, ranking: String? = "\\boxed{5}", think: Bool = true) -> String {
        var text = think ? "<think>\nreasoning\n</think>\n\n" : ""
        text += "[The Begin of Analysis on Response 1]\nA1\n[The End of Analysis on Response 1]\n\n"
        text += "[The Begin of Analysis on Response 2]\nA2\n[The End of Analysis on Response 2]\n\n"
        text += "[The Begin of Individual Scores]\n\(scores)\n[The End of Individual Scores]\n"
        if let ranking { text += "\n[The Begin of Ranking Score]\n\(ranking)\n[The End of Ranking Score]\n" }
        return text
    }

    func failure(_ text: String, responses: ResponseCount? = nil) -> JudgmentFailure? {
        do {
            _ = try JudgmentParser.parse(text, responses: responses)
            return nil
        } catch {
            #expect(error.rawOutput == text)
            return error.failure
        }
    }

    @Test func modelCardOneResponseExample() throws {
        let judgment = try JudgmentParser.parse(TestFiles.example("output-one-response.txt"), responses: .one)
        #expect(judgment.scores == [1])
        #expect(judgment.ranking == nil)
        #expect(judgment.preferred == nil)
        #expect(judgment.verdict == .helpfulness(.notHelpful))
        #expect(judgment.analyses.count == 1)
        #expect(judgment.analyses[0]?.hasPrefix("Response 1 states \"1+2=4\", which is incorrect") == true)
        #expect(judgment.reasoning.hasPrefix("The user asked for 1+2."))
    }

    @Test func modelCardTwoResponseExample() throws {
        let text = try TestFiles.example("output-two-responses.txt")
        let judgment = try JudgmentParser.parse(text, responses: .two)
        #expect(judgment.scores == [1, 5])
        #expect(judgment.ranking == 5)
        #expect(judgment.preferred == 2)
        #expect(judgment.verdict == .preference(preferred: 2, strength: .better))
        #expect(judgment.verdict.description == "Response 2 is better than response 1.")
        #expect(judgment.analyses[1]?.hasSuffix("This response meets all criteria for helpfulness.") == true)
        #expect(!judgment.reasoning.contains("<think>") && !judgment.reasoning.contains("</think>"))
        #expect(try JudgmentParser.parse(text) == judgment)
    }

    @Test func toleratesCRLFLineEnds() throws {
        let text = try TestFiles.example("output-two-responses.txt")
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        let judgment = try JudgmentParser.parse(crlf)
        #expect(judgment == (try JudgmentParser.parse(text)))
        #expect(judgment.analyses.allSatisfy { $0?.contains("\r") == false })
    }

    @Test func toleratesExtraSpacesAndBlankLines() throws {
        let text = "</think>\n\n\n   [The Begin of Individual Scores]  \n\n  \\boxed{  2 ,\t4 }  \n\n[The End of Individual Scores]"
            + "\n\n\n[The Begin of Ranking Score]\n\n \\boxed{ 4 } \n[The End of Ranking Score]   \n\n"
        let judgment = try JudgmentParser.parse(text)
        #expect(judgment.scores == [2, 4])
        #expect(judgment.ranking == 4)
        #expect(judgment.analyses == [nil, nil])
    }

    @Test(arguments: [
        ("\\boxed{１，５}", "\\boxed{５}"),
        ("\\boxed{1、5}", "\\boxed{5}"),
        ("\\boxed{١، ٥}", "\\boxed{٥}"),
        ("\\boxed{१, ५}", "\\boxed{५}"),
        ("\\fbox{1, 5}", "\\fbox{5}"),
    ])
    func toleratesMultilingualBoxesAndFbox(scores: String, ranking: String) throws {
        let judgment = try JudgmentParser.parse(output(scores: scores, ranking: ranking))
        #expect(judgment.scores == [1, 5])
        #expect(judgment.ranking == 5)
    }

    @Test func toleratesAMissingThinkEndWhenTheFinalBlocksArePresent() throws {
        let withoutTags = try JudgmentParser.parse(output(scores: "\\boxed{3, 2}", ranking: "\\boxed{2}", think: false))
        #expect(withoutTags.scores == [3, 2])
        #expect(withoutTags.reasoning == "")
        #expect(withoutTags.analyses == ["A1", "A2"])

        let unclosedThink = "<think>\nI compare them.\n" + output(scores: "\\boxed{3, 2}", ranking: "\\boxed{2}", think: false)
        let judgment = try JudgmentParser.parse(unclosedThink)
        #expect(judgment.reasoning == "I compare them.")
        #expect(judgment.ranking == 2)
    }

    @Test func readsOnlyTheFinalAnswerAfterTheLastThinkEnd() throws {
        let draft = "<think>Draft: [The Begin of Individual Scores]\n\\boxed{3, 3}\n[The End of Individual Scores]</think>\n"
        let judgment = try JudgmentParser.parse(draft + output(scores: "\\boxed{1, 5}", think: false))
        #expect(judgment.scores == [1, 5])
        #expect(judgment.reasoning.hasPrefix("Draft:"))
    }

    @Test func toleratesMissingEndMarkersAndAnalyses() throws {
        let text = "</think>[The Begin of Analysis on Response 1]\nonly one analysis\n"
            + "[The Begin of Individual Scores]\\boxed{4, 2}[The Begin of Ranking Score]\\boxed{1}"
        let judgment = try JudgmentParser.parse(text)
        #expect(judgment.analyses == ["only one analysis", nil])
        #expect(judgment.scores == [4, 2])
        #expect(judgment.ranking == 1)
        #expect(judgment.verdict == .preference(preferred: 1, strength: .muchBetter))
    }

    @Test func failsWithoutAScoreBlock() {
        #expect(failure("</think>\n[The Begin of Analysis on Response 1]\nfine\n[The End of Analysis on Response 1]") == .noScoreBlock)
        #expect(failure("</think>\n[The Begin of Individual Scores]\n5\n[The End of Individual Scores]") == .noScoreBlock)
        #expect(failure("</think>\nThe answer is \\boxed{5}") == .noScoreBlock)
        #expect(failure("") == .truncated)
    }

    @Test func failsOnTheWrongNumberOfScores() {
        #expect(failure(output(scores: "\\boxed{1}"), responses: .two) == .wrongScoreCount(expected: .two, found: 1))
        #expect(failure(output(scores: "\\boxed{1, 5}", ranking: nil), responses: .one) == .wrongScoreCount(expected: .one, found: 2))
        #expect(failure(output(scores: "\\boxed{1, 2, 3}")) == .wrongScoreCount(expected: nil, found: 3))
    }

    @Test func failsOnUnreadableBoxes() {
        #expect(failure(output(scores: "\\boxed{1.5, 5}")) == .unreadableScores(boxed: "1.5, 5"))
        #expect(failure(output(scores: "\\boxed{}")) == .unreadableScores(boxed: ""))
        #expect(failure(output(scores: "\\boxed{1,,5}")) == .unreadableScores(boxed: "1,,5"))
        #expect(failure(output(scores: "\\boxed{-1, 5}")) == .unreadableScores(boxed: "-1, 5"))
        #expect(failure(output(scores: "\\boxed{1, 5", ranking: nil)) == .unreadableScores(boxed: "1, 5\n"))
        #expect(failure(output(scores: "\\boxed{1, 5}", ranking: "\\boxed{5, 6}")) == .unreadableRanking(boxed: "5, 6"))
        #expect(failure(output(scores: "\\boxed{1, 5}", ranking: "\\boxed{five}")) == .unreadableRanking(boxed: "five"))
    }

    @Test(arguments: [0, 6, 10, 1_000_000])
    func failsOnAScoreOutsideOneToFive(score: Int) {
        #expect(failure(output(scores: "\\boxed{3, \(score)}")) == .scoreOutOfRange(response: 2, score: score))
    }

    @Test(arguments: [0, 7, 10])
    func failsOnARankingOutsideOneToSix(ranking: Int) {
        #expect(failure(output(scores: "\\boxed{1, 5}", ranking: "\\boxed{\(ranking)}")) == .rankingOutOfRange(ranking: ranking))
    }

    @Test func failsOnARankingWithOneResponse() {
        let text = "</think>[The Begin of Individual Scores]\n\\boxed{4}\n[The End of Individual Scores]\n"
            + "[The Begin of Ranking Score]\n\\boxed{3}\n[The End of Ranking Score]"
        #expect(failure(text) == .rankingWithOneResponse)
        #expect(failure(text, responses: .one) == .rankingWithOneResponse)
    }

    @Test func failsWithoutARankingForTwoResponses() {
        #expect(failure(output(scores: "\\boxed{1, 5}", ranking: nil)) == .noRankingBlock)
        #expect(failure(output(scores: "\\boxed{1, 5}", ranking: "5")) == .noRankingBlock)
    }

    @Test func failsOnOutputThatStopsMidReasoning() {
        #expect(failure("<think>\nLet me compare the two responses. Response 1 says") == .truncated)
        #expect(failure("<think>\n[The Begin of Analysis on Response 1]\nstill going") == .truncated)
    }

    @Test func failuresDescribeThemselves() {
        let error = JudgmentParseError(failure: .scoreOutOfRange(response: 2, score: 7), rawOutput: "x")
        #expect(error.description == "cannot parse the judgment: score 7 for response 2 is outside 1-5")
    }

    @Test func judgmentJSONHasTheDocumentedKeys() throws {
        let judgment = try JudgmentParser.parse(output(scores: "\\boxed{1, 5}"))
        let object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(judgment)) as? [String: Any])
        #expect(Set(object.keys) == ["reasoning", "analyses", "scores", "ranking", "preferred"])
        #expect(object["preferred"] as? Int == 2)
        #expect(object["scores"] as? [Int] == [1, 5])
        let decoded = try JSONDecoder().decode(Judgment.self, from: JSONEncoder().encode(judgment))
        #expect(decoded == judgment)

        let one = try JudgmentParser.parse(TestFiles.example("output-one-response.txt"))
        let oneObject = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(one)) as? [String: Any])
        #expect(oneObject["ranking"] is NSNull)
        #expect(oneObject["preferred"] is NSNull)
    }

    @Test func decodingAJudgmentChecksItsNumbers() {
        let invalid = Data(#"{"reasoning": "", "analyses": [null], "scores": [9], "ranking": null}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Judgment.self, from: invalid) }
    }

    @Test func judgmentInitialiserChecksConsistency() {
        #expect(throws: JudgmentFailure.wrongScoreCount(expected: nil, found: 0)) { try Judgment(scores: [], ranking: nil) }
        #expect(throws: JudgmentFailure.noRankingBlock) { try Judgment(scores: [1, 2], ranking: nil) }
        #expect(throws: JudgmentFailure.analysisCountMismatch(analyses: 1, scores: 2)) {
            try Judgment(analyses: ["a"], scores: [1, 2], ranking: 3)
        }
    }
}
