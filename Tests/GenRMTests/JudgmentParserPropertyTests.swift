import GenRM
import PropertyBased
import Testing

@Suite struct JudgmentParserPropertyTests {
    @Test func writtenFinalBlocksParseBackToTheSameNumbers() async {
        await propertyCheck(input: Generators.pairJudgment, Gen.bool) { judgment, withAnalyses in
            let analyses = withAnalyses ? ["First.", "Second."] : []
            let text = "<think>\nweighing\n</think>\n\n"
                + JudgmentFormat.finalBlocks(analyses: analyses, scores: judgment.scores, ranking: judgment.ranking)
            let parsed = try JudgmentParser.parse(text, responses: .two)
            #expect(parsed.scores == judgment.scores)
            #expect(parsed.ranking == judgment.ranking)
            #expect(parsed.analyses == (withAnalyses ? ["First.", "Second."] : [nil, nil]))
            #expect(parsed.reasoning == "weighing")
        }
    }

    /// Pieces of the format, numbers and noise; any sequence of them either parses to a valid
    /// judgment or fails with a typed error. Never a crash.
    static let fragments = [
        "<think>", "</think>", "\n", "\r\n", " ", "[The Begin of Analysis on Response 1]", "[The End of Analysis on Response 1]",
        "[The Begin of Analysis on Response 2]", "[The Begin of Individual Scores]", "[The End of Individual Scores]",
        "[The Begin of Ranking Score]", "[The End of Ranking Score]", "\\boxed{", "\\fbox{", "}", "1", "5", "６", "٣", ",", "，",
        "99999999999999999999", "text", "é", "\u{301}", "👩‍💻", "[The Begin of ",
    ]

    @Test func arbitraryFragmentsNeverCrashTheParser() async {
        let text = Gen<String?>.element(of: Self.fragments).compactMap { $0 }.array(of: 0...40).map { $0.joined() }
        await propertyCheck(count: 2000, input: text) { output in
            let result = Result { () throws(JudgmentParseError) in try JudgmentParser.parse(output) }
            switch result {
            case .success(let judgment):
                let validScores = judgment.scores.allSatisfy { (1...5).contains($0) }
                let validRanking = judgment.scores.count == 2 ? (1...6).contains(judgment.ranking ?? 0) : judgment.ranking == nil
                #expect(validScores && validRanking)
            case .failure(let error):
                #expect(error.rawOutput == output)
            }
        }
    }
}
