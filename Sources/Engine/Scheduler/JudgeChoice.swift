import Foundation
import GenRM

/// One structured judging choice: a `VoteDecoder` stepped one token at a time by the scheduler,
/// plus the part of its output that is safe to stream. A free segment may take back the bytes of
/// a stop string it ran into (and the token they began in), so unfinished output is streamed with
/// a lag of `holdBack` bytes, always cut at a UTF-8 character boundary.
final class JudgeChoice {
    let decoder: VoteDecoder
    let promptTokens: Int
    private var emitted = 0
    /// Logprob entries already sent, and the output bytes they cover.
    private var emittedEntries = 0
    private var coveredBytes = 0
    private(set) var result: ChoiceResult?
    /// Longer than any stop string plus the token it can begin in.
    static let holdBack = 256

    init(decoder: VoteDecoder, promptTokens: Int) {
        self.decoder = decoder
        self.promptTokens = promptTokens
    }

    var session: InferenceSession { decoder.session }
    var finished: Bool { result != nil }

    /// The next token to feed, or nil when the judgment is complete.
    func step() throws -> Int? {
        guard result == nil else { return nil }
        if let token = try decoder.next(maxCount: 1).first { return token }
        let scores = (1...2).compactMap { decoder.distributions[.score(response: $0)] }
        let readout = scores.isEmpty
            ? nil : ScoreReadout(scoreDistributions: scores, rankingDistribution: decoder.distributions[.ranking])
        result = ChoiceResult(
            text: String(decoding: decoder.output, as: UTF8.self),
            finishReason: decoder.truncated ? .length : .stop, stopReason: nil,
            completionTokens: session.tokens.count - promptTokens + decoder.unfedTokens, readout: readout)
        return nil
    }

    /// Output settled since the last call, with the logprobs of the tokens wholly inside it
    /// (when they were asked for).
    func takeDelta() -> (text: String, logprobs: [TokenLogprob]) {
        let output = decoder.output
        var settled = finished ? output.count : max(emitted, output.count - Self.holdBack)
        while settled > emitted, settled < output.count, output[settled] & 0xC0 == 0x80 { settled -= 1 }
        var entries: [TokenLogprob] = []
        let all = decoder.logprobs
        while emittedEntries < all.count, coveredBytes + all[emittedEntries].bytes.count <= settled {
            coveredBytes += all[emittedEntries].bytes.count
            entries.append(all[emittedEntries])
            emittedEntries += 1
        }
        guard settled > emitted else { return ("", entries) }
        defer { emitted = settled }
        return (String(decoding: output[emitted..<settled], as: UTF8.self), entries)
    }
}
