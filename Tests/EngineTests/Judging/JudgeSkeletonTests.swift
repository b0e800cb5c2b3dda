import Testing
import GenRM
@testable import Engine

@Suite("Judge skeleton")
struct JudgeSkeletonTests {
    /// Fills the skeleton the way a model might (free text, digits) and parses the result.
    private func fill(_ segments: [SkeletonSegment], free: String, digits: [ScoreSlot: Int]) -> String {
        segments.map { segment in
            switch segment {
            case .forced(let text): text
            case .free: free
            case .digit(let slot): String(digits[slot] ?? 0)
            }
        }.joined()
    }

    @Test(arguments: [(16, 16), (0, 16), (16, 0), (0, 0)])
    func twoResponseSkeletonParsesToItsDigits(reasoning: Int, analysis: Int) throws {
        let segments = JudgeSkeleton.segments(responses: .two, reasoningTokens: reasoning, analysisTokens: analysis)
        let text = fill(segments, free: "some words", digits: [.score(response: 1): 2, .score(response: 2): 4, .ranking: 5])
        let judgment = try JudgmentParser.parse(text, responses: .two)
        #expect(judgment.scores == [2, 4])
        #expect(judgment.ranking == 5)
        #expect(judgment.analyses.count == 2)
        if analysis > 0 { #expect(judgment.analyses.allSatisfy { $0 == "some words" }) }
        if reasoning > 0 { #expect(judgment.reasoning == "some words") }
    }

    @Test func oneResponseSkeletonHasNoRanking() throws {
        let segments = JudgeSkeleton.segments(responses: .one, reasoningTokens: 8, analysisTokens: 8)
        #expect(!segments.contains(.digit(.ranking)))
        let judgment = try JudgmentParser.parse(fill(segments, free: "ok", digits: [.score(response: 1): 3]), responses: .one)
        #expect(judgment.scores == [3])
        #expect(judgment.ranking == nil)
    }

    @Test func adjacentForcedTextsAreMerged() {
        let segments = JudgeSkeleton.segments(responses: .two, reasoningTokens: 0, analysisTokens: 0)
        for (a, b) in zip(segments, segments.dropFirst()) {
            if case .forced = a, case .forced = b { Issue.record("two forced segments in a row") }
        }
    }

    @Test func stopSearchFindsTheEarliestNeedle() {
        let haystack = Array("abc [The End of x".utf8)
        #expect(VoteDecoder.firstOccurrence(of: [Array("[The ".utf8), Array("c".utf8)], in: haystack) == 2)
        #expect(VoteDecoder.firstOccurrence(of: [Array("[The ".utf8)], in: haystack) == 4)
        #expect(VoteDecoder.firstOccurrence(of: [Array("zz".utf8)], in: haystack) == nil)
        #expect(VoteDecoder.firstOccurrence(of: [Array("longer than the haystack itself".utf8)], in: haystack) == nil)
    }

    @Test func softmaxIsADistribution() {
        let p = VoteDecoder.softmax([1, 2, 3, -1000])
        #expect(abs(p.reduce(0, +) - 1) < 1e-12)
        #expect(p[3] < 1e-300)
        #expect(p[2] > p[1] && p[1] > p[0])
    }
}
