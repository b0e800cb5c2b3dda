/// The judging prompt with its two placeholders, `{context}` and `{responses}` (PROTOCOL.md
/// section 2, step 3).
///
/// Filling is one pass over the template: text that a user or a response writes (which may
/// itself contain `{responses}` or `{context}`) is inserted verbatim and never substituted again.
public struct JudgePromptTemplate: Sendable, Hashable {
    public static let contextPlaceholder = "{context}"
    public static let responsesPlaceholder = "{responses}"

    /// The template text, placeholders included.
    public let text: String
    private let segments: [Segment]

    private enum Segment: Sendable, Hashable {
        case literal(String)
        case context
        case responses
    }

    /// A template from its text; each placeholder must occur exactly once.
    public init(text: String) throws(PromptTemplateError) {
        let bytes = Array(text.utf8)
        var cuts: [(range: Range<Int>, segment: Segment)] = []
        for (placeholder, segment) in [(Self.contextPlaceholder, Segment.context), (Self.responsesPlaceholder, .responses)] {
            var found: [Range<Int>] = []
            var start = 0
            while let range = ByteSearch.firstRange(of: placeholder, in: bytes, from: start) {
                found.append(range)
                start = range.upperBound
            }
            guard found.count == 1, let range = found.first else {
                throw .placeholderCount(placeholder: placeholder, count: found.count)
            }
            cuts.append((range, segment))
        }
        cuts.sort { $0.range.lowerBound < $1.range.lowerBound }
        var segments: [Segment] = []
        var position = 0
        for cut in cuts {
            segments.append(.literal(String(decoding: bytes[position..<cut.range.lowerBound], as: UTF8.self)))
            segments.append(cut.segment)
            position = cut.range.upperBound
        }
        segments.append(.literal(String(decoding: bytes[position...], as: UTF8.self)))
        self.text = text
        self.segments = segments
    }

    /// The bundled `judge-prompt.txt` with the chosen variant applied.
    public static func bundled(_ variant: PromptVariant = PromptVariant()) throws(PromptTemplateError) -> JudgePromptTemplate {
        try JudgePromptTemplate(text: applying(variant, to: EmbeddedJudgePrompt.text))
    }

    /// The prompt text with both placeholders filled.
    public func filled(context: String, responses: String) -> String {
        segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .context: context
            case .responses: responses
            }
        }.joined()
    }

    // The exact lines each variant changes, as they appear in the bundled text.
    static let straightQuery = "(the last turn is the User's query)"
    static let curlyQuery = "(the last turn is the User\u{2019}s query)"
    static let scoresLineWithSuffix = "\\boxed{x, y} if there exists 2 responses\n"
    static let scoresLinePlain = "\\boxed{x, y} \n"
    static let rankingLineWithSuffix = "\\boxed{z} if there exists 2 responses\n"
    static let rankingLinePlain = "\\boxed{z} \n"

    /// Rewrites the bundled text (which is the default variant) into `variant`. Each change
    /// replaces a line that must occur exactly once, so a template that differs is an error, not
    /// a silent no-op.
    static func applying(_ variant: PromptVariant, to text: String) throws(PromptTemplateError) -> String {
        var text = text
        if variant.apostrophe == .curly {
            text = try replacingOnce(straightQuery, with: curlyQuery, in: text)
        }
        if variant.boxedSuffix == .ranking {
            text = try replacingOnce(scoresLineWithSuffix, with: scoresLinePlain, in: text)
            text = try replacingOnce(rankingLinePlain, with: rankingLineWithSuffix, in: text)
        }
        return text
    }

    private static func replacingOnce(_ old: String, with new: String, in text: String) throws(PromptTemplateError) -> String {
        let bytes = Array(text.utf8)
        guard let range = ByteSearch.firstRange(of: old, in: bytes),
              ByteSearch.firstRange(of: old, in: bytes, from: range.upperBound) == nil
        else { throw .variantNotApplicable(expected: old) }
        return String(decoding: bytes[..<range.lowerBound], as: UTF8.self) + new
            + String(decoding: bytes[range.upperBound...], as: UTF8.self)
    }
}
