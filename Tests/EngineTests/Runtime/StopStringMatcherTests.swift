import Testing
@testable import Engine

@Suite struct StopStringMatcherTests {
    private func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    @Test func findsTheEarliestStop() {
        let matcher = StopStringMatcher(["END", "</s>"])
        #expect(matcher.firstStop(in: scalars("abc</s>xEND")) == 3)
        #expect(matcher.firstStop(in: scalars("no stop here")) == nil)
    }

    @Test func holdsBackAPossibleStopPrefix() {
        let matcher = StopStringMatcher(["</answer>"])
        #expect(matcher.safePrefixLength(of: scalars("score 3 </ans")) == 8)
        #expect(matcher.safePrefixLength(of: scalars("score 3 <")) == 8)
        #expect(matcher.safePrefixLength(of: scalars("score 3")) == 7)
    }

    @Test func holdsBackAnUndecodedCharacter() {
        let matcher = StopStringMatcher([])
        #expect(matcher.safePrefixLength(of: scalars("caf\u{FFFD}")) == 3)
        #expect(matcher.safePrefixLength(of: scalars("café")) == 4)
    }
}
