/// The fixed strings of the GenRM output format (PROTOCOL.md section 3). Public because the
/// engine's structured decoder forces exactly these markers, and the parser reads them back.
public enum JudgmentFormat {
    public static let thinkStart = "<think>"
    public static let thinkEnd = "</think>"

    public static func analysisBegin(response: Int) -> String { "[The Begin of Analysis on Response \(response)]" }
    public static func analysisEnd(response: Int) -> String { "[The End of Analysis on Response \(response)]" }

    public static let scoresBegin = "[The Begin of Individual Scores]"
    public static let scoresEnd = "[The End of Individual Scores]"
    public static let rankingBegin = "[The Begin of Ranking Score]"
    public static let rankingEnd = "[The End of Ranking Score]"

    /// Every block marker starts with this; an unterminated block ends at the next one.
    public static let blockBeginPrefix = "[The Begin of "

    /// The box the numbers go in, and the `\fbox{` spelling some outputs use instead.
    public static let boxedOpen = "\\boxed{"
    public static let fboxOpen = "\\fbox{"
    public static let boxClose = "}"

    /// Separator the model writes between the two individual scores.
    public static let scoreSeparator = ", "

    /// Separators accepted between scores: ASCII comma, full-width comma (U+FF0C), ideographic
    /// comma (U+3001) and Arabic comma (U+060C), which multilingual outputs produce.
    public static let acceptedScoreSeparators: Set<Unicode.Scalar> = [",", "\u{FF0C}", "\u{3001}", "\u{060C}"]

    /// The response blocks of the judging prompt (input side, PROTOCOL.md section 2).
    public static func responseBegin(_ response: Int) -> String { "[The Begin of Response \(response)]" }
    public static func responseEnd(_ response: Int) -> String { "[The End of Response \(response)]" }

    /// The final answer as the model writes it after `</think>`: an analysis block per entry of
    /// `analyses`, the individual scores, and the ranking block when `ranking` is given.
    public static func finalBlocks(analyses: [String], scores: [Int], ranking: Int?) -> String {
        var lines: [String] = []
        for (index, analysis) in analyses.enumerated() {
            lines += [analysisBegin(response: index + 1), analysis, analysisEnd(response: index + 1), ""]
        }
        lines += [scoresBegin, boxedOpen + scores.map(String.init).joined(separator: scoreSeparator) + boxClose, scoresEnd]
        if let ranking {
            lines += ["", rankingBegin, boxedOpen + String(ranking) + boxClose, rankingEnd]
        }
        return lines.joined(separator: "\n")
    }
}
