import Testing
@testable import Server

@Suite struct ReasoningSplitterTests {
    @Test func wholeTextSplitsAtTheFirstThinkEnd() {
        #expect(ReasoningSplitter.split("a</think>b</think>c") == ("a", "b</think>c"))
        #expect(ReasoningSplitter.split("<think>r</think>x") == ("r", "x"))
        #expect(ReasoningSplitter.split("no end") == ("no end", nil))
    }

    /// Fed in every possible pair of pieces, the stream routes text exactly as the whole split.
    @Test(arguments: ["plain reasoning</think>answer", "<think>r</think>", "</think>all content", "none", "a</thi", "<thi", "x</think"])
    func streamedSplitAgreesWithWholeSplit(_ text: String) {
        let whole = ReasoningSplitter.split(text)
        for cut in 0...text.count {
            var splitter = ReasoningSplitter()
            var reasoning = "", content = ""
            for piece in [String(text.prefix(cut)), String(text.dropFirst(cut))] {
                let out = splitter.feed(piece)
                reasoning += out.reasoning
                content += out.content
            }
            let rest = splitter.finish()
            reasoning += rest.reasoning
            content += rest.content
            #expect(reasoning == (whole.reasoning ?? ""), "cut at \(cut)")
            #expect(content == (whole.content ?? ""), "cut at \(cut)")
        }
    }
}
