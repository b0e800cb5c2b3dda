import Foundation
import GenRM
import Tokenizers

/// One free-text choice decoded step by step by the scheduler: each step samples a token from the
/// session's logits, settles the text it completes (holding back what could still begin a stop
/// string or finish a UTF-8 character), and returns the token to feed, or nil when the choice ended.
/// Every free-text decode of the engine runs here (generate, chat, completions), one step per
/// batched forward pass.
final class TextChoice {
    let session: InferenceSession
    private let decoding: TextDecoding
    private let tokenizer: Tokenizer
    private var sampler: Sampler
    private var decoder: StreamingDecoder
    private let matcher: StopStringMatcher
    private let longestStop: Int
    /// `min_tokens`: stop strings count only in text that tokens after the first this many completed.
    private let minTokens: Int
    /// The text's length when the last token under `min_tokens` was appended: a stop string must end past it.
    private var stopFloor = 0

    /// The text so far, as scalars (their boundaries never move as text grows).
    private var text: [Unicode.Scalar] = []
    private var emitted = 0
    private var sampled = 0
    private var pendingLogprobs: [TokenLogprob] = []
    private(set) var result: ChoiceResult?

    init(session: InferenceSession, decoding: TextDecoding, tokenizer: Tokenizer, sampling: SamplingParameters) throws(SamplingError) {
        self.session = session
        self.decoding = decoding
        self.tokenizer = tokenizer
        sampler = try Sampler(sampling, prompt: session.tokens, stopTokens: decoding.stopTokens)
        minTokens = sampling.minTokens
        decoder = tokenizer.makeStreamingDecoder(skipSpecialTokens: decoding.skipSpecialTokens)
        matcher = StopStringMatcher(decoding.stopStrings)
        longestStop = decoding.stopStrings.map(\.unicodeScalars.count).max() ?? 0
    }

    var finished: Bool { result != nil }

    /// Samples the next token. Returns it when it must be fed, nil when the choice just ended.
    func step() throws -> Int? {
        guard result == nil else { return nil }
        // `max_tokens: 0` (a completions echo): the prompt is all there is.
        guard decoding.maxTokens > 0 else {
            finish(.length)
            return nil
        }
        let token = try sampler.sample(session.logits)
        sampled += 1
        if let k = decoding.topLogprobs {
            pendingLogprobs.append(LogprobReadout.logprob(of: token, in: session.logits, top: k, tokenizer: tokenizer))
        }
        if decoding.stopTokens.contains(token) {
            let isTurnEnd = tokenizer.eosIds.contains(token)
            finish(.stop, stopReason: isTurnEnd ? nil : .token(token))
            return nil
        }
        let searchFrom = max(0, text.count - max(0, longestStop - 1))
        text += try decoder.append(token).unicodeScalars
        if sampled <= minTokens {
            // vLLM's `min_tokens`: no stop string ends the text yet (the sampler barred stop tokens).
            stopFloor = text.count
        } else if let stop = firstStop(from: searchFrom) {
            text.removeSubrange(stop.offset...)
            finish(.stop, stopReason: .string(stop.string), flushDecoder: false)
            return nil
        }
        if sampled >= decoding.maxTokens || session.tokens.count >= session.maxLength {
            finish(.length)
            return nil
        }
        return token
    }

    /// Text and log-probabilities settled since the last call.
    func takeDelta() -> (text: String, logprobs: [TokenLogprob]) {
        let settled = finished ? text.count : max(emitted, matcher.safePrefixLength(of: text))
        let delta = Self.string(text[emitted..<settled])
        emitted = settled
        defer { pendingLogprobs.removeAll() }
        return (delta, pendingLogprobs)
    }

    private func finish(_ reason: FinishReason, stopReason: StopReason? = nil, flushDecoder: Bool = true) {
        if flushDecoder { text += decoder.finish().unicodeScalars }
        result = ChoiceResult(
            text: Self.string(text[...]), finishReason: reason, stopReason: stopReason, completionTokens: sampled, readout: nil)
    }

    /// The earliest stop string starting at or after `from` and ending past `stopFloor`, and where it starts.
    private func firstStop(from: Int) -> (offset: Int, string: String)? {
        var from = from
        while from < text.count {
            let tail = Array(text[from...])
            guard let start = matcher.firstStop(in: tail) else { return nil }
            let rest = tail[start...]
            let string = decoding.stopStrings.first { !$0.isEmpty && rest.starts(with: $0.unicodeScalars) } ?? ""
            if from + start + string.unicodeScalars.count > stopFloor { return (from + start, string) }
            from += start + 1
        }
        return nil
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
