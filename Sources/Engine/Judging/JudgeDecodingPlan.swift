import GenRM
import Tokenizers

/// How one judgment decodes on the embedded engine, decided in one place for every caller (the
/// judge's backend and the server's chat completions with GenRM roles): the skeleton's segments
/// under structured judging, else one free segment, checked against the room the context leaves
/// after the prompt.
public struct JudgeDecodingPlan: Sendable, Equatable {
    public let segments: [SkeletonSegment]
    /// Upper bound of the tokens the judgment adds after the prompt.
    public let neededTokens: Int

    /// - maxTokens: cap on generated tokens (each free budget is cut to it); nil = what the
    ///   context leaves.
    public init(
        structured: Bool, responses: ResponseCount, reasoningTokens: Int, analysisTokens: Int, maxTokens: Int?,
        promptTokens: Int, contextLength: Int, tokenizer: Tokenizer
    ) throws(JudgeDecodingError) {
        let room = contextLength - promptTokens
        if structured {
            segments = JudgeSkeleton.segments(
                responses: responses, reasoningTokens: min(reasoningTokens, maxTokens ?? .max),
                analysisTokens: min(analysisTokens, maxTokens ?? .max))
        } else {
            segments = [.free(budget: min(maxTokens ?? room, max(room, 0)), stops: [])]
        }
        neededTokens = Self.neededTokens(segments, tokenizer: tokenizer)
        guard room >= 1, neededTokens <= room else {
            throw .contextOverflow(promptTokens: promptTokens, needed: max(neededTokens, 1), contextLength: contextLength)
        }
    }

    /// The plan for a judge's settings.
    public init(settings: JudgeSettings, responses: ResponseCount, promptTokens: Int, contextLength: Int, tokenizer: Tokenizer)
        throws(JudgeDecodingError)
    {
        try self.init(
            structured: settings.structured, responses: responses, reasoningTokens: settings.reasoningTokens,
            analysisTokens: settings.analysisTokens, maxTokens: settings.maxTokens, promptTokens: promptTokens,
            contextLength: contextLength, tokenizer: tokenizer)
    }

    /// Every forced text's tokens, every free budget, one per digit (`Int.max` when the budgets
    /// a request asked for do not fit an `Int`: then the context refuses it).
    static func neededTokens(_ segments: [SkeletonSegment], tokenizer: Tokenizer) -> Int {
        segments.reduce(0) { total, segment in
            switch segment {
            case .forced(let text): total.saturatingAdding(tokenizer.encode(text, parseSpecial: false).count)
            case .free(let budget, _): total.saturatingAdding(budget)
            case .digit: total.saturatingAdding(1)
            }
        }
    }
}
