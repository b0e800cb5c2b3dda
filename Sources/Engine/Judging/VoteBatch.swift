import GenRM
import Tokenizers

/// Decodes several votes of one prompt together: the prompt is prefilled once (by the caller,
/// into `root`), each vote forks the cache, and every step feeds one token per unfinished vote in
/// a single batched forward. A vote decoding alone feeds its forced text in one prefill.
struct VoteBatch {
    let model: TransformerModel
    let tokenizer: Tokenizer
    let digits: DigitTokens
    let contextLength: Int

    /// `root` holds exactly `prompt`, prefilled; vote 0 continues in it.
    func run(root: InferenceSession, prompt: [Int], segments: [SkeletonSegment], sampling: [SamplingParameters]) throws -> [JudgeCompletion] {
        precondition(root.tokens == prompt, "the root session must hold exactly the prompt")
        var decoders: [VoteDecoder] = []
        for (index, parameters) in sampling.enumerated() {
            let session = index == 0 ? root : try root.fork()
            decoders.append(try VoteDecoder(session: session, tokenizer: tokenizer, digits: digits,
                                            segments: segments, sampling: parameters))
        }
        // Forks are taken before any vote moves, so every vote starts from the prompt.
        while true {
            try Task.checkCancellation()
            let active = decoders.filter { !$0.finished }
            if active.isEmpty { break }
            if active.count == 1 {
                let tokens = try active[0].next(maxCount: Int.max)
                if !tokens.isEmpty { try active[0].session.prefill(tokens) }
                continue
            }
            var sessions: [InferenceSession] = []
            var tokens: [Int] = []
            for decoder in active {
                guard let token = try decoder.next(maxCount: 1).first else { continue }
                sessions.append(decoder.session)
                tokens.append(token)
            }
            if !sessions.isEmpty { try InferenceSession.appendTogether(sessions, tokens: tokens) }
        }
        return decoders.map { decoder in
            let scores = (1...2).compactMap { decoder.distributions[.score(response: $0)] }
            let readout = scores.isEmpty ? nil
                : ScoreReadout(scoreDistributions: scores, rankingDistribution: decoder.distributions[.ranking])
            return JudgeCompletion(
                text: String(decoding: decoder.output, as: UTF8.self),
                readout: readout,
                promptTokens: prompt.count,
                completionTokens: decoder.session.tokens.count - prompt.count + decoder.unfedTokens,
                finishReason: decoder.truncated ? "length" : "stop")
        }
    }
}
