/// Reads a GenRM output (PROTOCOL.md section 3) into a ``Judgment``.
///
/// Split at the last `</think>`: before it is the reasoning, after it the final answer, where the
/// analysis, individual-scores and ranking blocks are read. Tolerated: CRLF line ends, any spaces
/// and blank lines around markers and numbers, full-width or ideographic commas and non-ASCII
/// decimal digits in a box, `\fbox{}` for `\boxed{}`, a missing block end marker, a missing
/// analysis, and a missing `</think>` when the score block is present. Everything else fails with
/// a ``JudgmentParseError`` that keeps the raw output. There is deliberately no fallback to "the
/// last `\boxed{}` anywhere" and no neutral default: a number the model did not clearly give is
/// reported as a failure, never guessed.
public enum JudgmentParser {
    /// - Parameters:
    ///   - output: the model's completion text.
    ///   - responses: how many responses were judged; nil reads it from the number of scores
    ///     (then only 1 or 2 scores are accepted).
    public static func parse(_ output: String, responses: ResponseCount? = nil) throws(JudgmentParseError) -> Judgment {
        do {
            return try judgment(in: normalizedLineEnds(output), responses: responses)
        } catch {
            throw JudgmentParseError(failure: error, rawOutput: output)
        }
    }

    private static func judgment(in bytes: [UInt8], responses: ResponseCount?) throws(JudgmentFailure) -> Judgment {
        let (reasoningEnd, finalStart) = try split(bytes)
        let final = Array(bytes[finalStart...])

        let scores: [Int]
        switch BoxedNumbers.lookup(begin: JudgmentFormat.scoresBegin, end: JudgmentFormat.scoresEnd, in: final) {
        case .noBlock, .noBox:
            throw .noScoreBlock
        case .unclosed(let boxed):
            throw .unreadableScores(boxed: boxed)
        case .content(let boxed):
            guard let numbers = BoxedNumbers.integers(in: boxed) else { throw .unreadableScores(boxed: boxed) }
            scores = numbers
        }
        guard let count = responses ?? ResponseCount(rawValue: scores.count), count.rawValue == scores.count else {
            throw .wrongScoreCount(expected: responses, found: scores.count)
        }

        let rankingLookup = BoxedNumbers.lookup(begin: JudgmentFormat.rankingBegin, end: JudgmentFormat.rankingEnd, in: final)
        let ranking: Int?
        switch (count, rankingLookup) {
        case (.one, .noBlock):
            ranking = nil
        case (.one, _):
            throw .rankingWithOneResponse
        case (.two, .noBlock), (.two, .noBox):
            throw .noRankingBlock
        case (.two, .unclosed(let boxed)):
            throw .unreadableRanking(boxed: boxed)
        case (.two, .content(let boxed)):
            guard let numbers = BoxedNumbers.integers(in: boxed), numbers.count == 1 else {
                throw .unreadableRanking(boxed: boxed)
            }
            ranking = numbers[0]
        }

        let analyses = (1...count.rawValue).map { response in
            BlockText.text(
                begin: JudgmentFormat.analysisBegin(response: response),
                end: JudgmentFormat.analysisEnd(response: response), in: final)
        }
        return try Judgment(
            reasoning: reasoning(Array(bytes[..<reasoningEnd])), analyses: analyses, scores: scores, ranking: ranking)
    }

    /// Where the reasoning ends and the final answer starts. Without `</think>` the output is
    /// still readable when it holds a score block: the final answer then starts at the analysis
    /// of response 1 before the last score block (or at the score block itself).
    private static func split(_ bytes: [UInt8]) throws(JudgmentFailure) -> (reasoningEnd: Int, finalStart: Int) {
        if let thinkEnd = ByteSearch.lastRange(of: JudgmentFormat.thinkEnd, in: bytes) {
            return (thinkEnd.lowerBound, thinkEnd.upperBound)
        }
        guard let scores = ByteSearch.lastRange(of: JudgmentFormat.scoresBegin, in: bytes) else { throw .truncated }
        let analysis = ByteSearch.lastRange(of: JudgmentFormat.analysisBegin(response: 1), in: bytes, before: scores.lowerBound)
        let start = analysis?.lowerBound ?? scores.lowerBound
        return (start, start)
    }

    /// The reasoning trace without its opening `<think>` tag and surrounding whitespace.
    private static func reasoning(_ bytes: [UInt8]) -> String {
        let text = Array(PythonWhitespace.strip(String(decoding: bytes, as: UTF8.self)).utf8)
        let tag = Array(JudgmentFormat.thinkStart.utf8)
        let body = text.starts(with: tag) ? text[tag.count...] : text[...]
        return PythonWhitespace.strip(String(decoding: body, as: UTF8.self))
    }

    /// CRLF -> LF, so that analyses and reasoning come back with one kind of line end.
    private static func normalizedLineEnds(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingCR = false
        for byte in text.utf8 {
            if pendingCR && byte != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\r")) }
            pendingCR = byte == UInt8(ascii: "\r")
            if !pendingCR { bytes.append(byte) }
        }
        if pendingCR { bytes.append(UInt8(ascii: "\r")) }
        return bytes
    }
}
