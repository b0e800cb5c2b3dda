import GenRM

/// Which number a digit slot of the skeleton holds.
public enum ScoreSlot: Sendable, Hashable {
    /// Helpfulness of response `response` (1-based), digits 1-5.
    case score(response: Int)
    /// The ranking of two responses, digits 1-6.
    case ranking

    public var allowedDigits: ClosedRange<Int> {
        switch self {
        case .score: 1...5
        case .ranking: 1...6
        }
    }
}

/// One piece of the GenRM output: text the decoder writes itself, text the model writes within a
/// budget, or one digit the model chooses among the allowed ones.
public enum SkeletonSegment: Sendable, Hashable {
    case forced(String)
    /// Free text of at most `budget` tokens. It ends early when the model ends its turn or writes
    /// one of `stops`; the text from the stop on is taken back (the session is rewound), so the
    /// skeleton's own markers follow. `stops` empty: only the budget and end-of-turn end it.
    case free(budget: Int, stops: [String])
    case digit(ScoreSlot)
}

/// The output skeleton of PROTOCOL.md section 3 as segments: reasoning, `</think>`, one analysis
/// per response, the boxed scores and (two responses) the boxed ranking. Parsing the text this
/// produces with `JudgmentParser` always succeeds.
public enum JudgeSkeleton {
    /// Text the model writes freely stops here: the start of any block or the end of thinking.
    static let freeTextStops = [JudgmentFormat.blockBeginPrefix, "[The End of ", JudgmentFormat.thinkEnd]

    public static func segments(responses: ResponseCount, reasoningTokens: Int, analysisTokens: Int) -> [SkeletonSegment] {
        typealias F = JudgmentFormat
        var segments: [SkeletonSegment] = []
        if reasoningTokens > 0 {
            segments.append(.free(budget: reasoningTokens, stops: freeTextStops))
            segments.append(.forced("\n" + F.thinkEnd))
        } else {
            segments.append(.forced(F.thinkEnd))
        }
        for response in 1...responses.rawValue {
            segments.append(.forced((response == 1 ? "\n" : "\n\n") + F.analysisBegin(response: response) + "\n"))
            if analysisTokens > 0 {
                segments.append(.free(budget: analysisTokens, stops: freeTextStops))
            }
            segments.append(.forced("\n" + F.analysisEnd(response: response)))
        }
        segments.append(.forced("\n\n" + F.scoresBegin + "\n" + F.boxedOpen))
        segments.append(.digit(.score(response: 1)))
        if responses == .two {
            segments.append(.forced(F.scoreSeparator))
            segments.append(.digit(.score(response: 2)))
            segments.append(.forced(F.boxClose + "\n" + F.scoresEnd + "\n\n" + F.rankingBegin + "\n" + F.boxedOpen))
            segments.append(.digit(.ranking))
            segments.append(.forced(F.boxClose + "\n" + F.rankingEnd))
        } else {
            segments.append(.forced(F.boxClose + "\n" + F.scoresEnd))
        }
        return merged(segments)
    }

    /// Adjacent forced texts joined, so each is tokenized (and fed) as one piece.
    static func merged(_ segments: [SkeletonSegment]) -> [SkeletonSegment] {
        var out: [SkeletonSegment] = []
        for segment in segments {
            if case .forced(let next) = segment, case .forced(let previous)? = out.last {
                out[out.count - 1] = .forced(previous + next)
            } else {
                out.append(segment)
            }
        }
        return out
    }
}
