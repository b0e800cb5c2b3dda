import Foundation
import GenRM
import Tokenizers

/// Decodes one vote: walks the skeleton's segments on its own inference session, writing forced
/// text itself, sampling free text within budgets, and choosing each score digit among the
/// allowed ones while recording the model's probabilities over them.
///
/// The caller asks `next(maxCount:)` for the tokens to feed, feeds them (alone or batched with
/// other votes), and asks again; an empty answer means the vote is complete.
final class VoteDecoder {
    let session: InferenceSession
    private let tokenizer: Tokenizer
    private let digits: DigitTokens
    private let segments: [SkeletonSegment]
    private let endOfTurn: Set<Int>
    private let digitTemperature: Double
    private var sampler: Sampler
    private var random: RandomSource

    private var segmentIndex = 0
    /// Forced tokens not fed yet.
    private var pending: [Int] = []
    /// All output bytes so far (forced, free and digits).
    private(set) var output: [UInt8] = []
    /// Every segment has been walked (forced tokens may still wait to be fed).
    private var segmentsDone = false
    /// The vote is complete: nothing left to write or feed.
    var finished: Bool { segmentsDone && pending.isEmpty }
    /// A free segment ran out of budget while no skeleton followed it (free generation).
    private(set) var truncated = false
    private(set) var distributions: [ScoreSlot: [Double]] = [:]
    /// Tokens of the final forced text, which is written but never fed (unless logprobs are
    /// reported: then it is fed like the rest, so each of its tokens has its probability).
    private(set) var unfedTokens = 0
    /// Report each output token's log-probability under the raw next-token distribution and this
    /// many alternatives (nil = none): forced text, free text and digits alike.
    private let topLogprobs: Int?
    /// One entry per output token so far, when `topLogprobs` is set.
    private(set) var logprobs: [TokenLogprob] = []

    private var free: FreeSegmentState?

    private struct FreeSegmentState {
        var budget: Int
        var stops: [[UInt8]]
        /// Session length and output length when the segment began.
        var sessionStart: Int
        var outputStart: Int
        var tokens: [Int] = []
    }

    init(session: InferenceSession, tokenizer: Tokenizer, digits: DigitTokens, segments: [SkeletonSegment],
         sampling: SamplingParameters, topLogprobs: Int? = nil) throws(SamplingError) {
        self.session = session
        self.topLogprobs = topLogprobs
        self.tokenizer = tokenizer
        self.digits = digits
        self.segments = segments
        endOfTurn = Set(tokenizer.eosIds)
        digitTemperature = sampling.temperature
        sampler = try Sampler(sampling, prompt: session.tokens)
        random = RandomSource(seed: sampling.seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next tokens to feed (at most `maxCount`; one at a time while logprobs are reported,
    /// since each needs the logits before it); empty when the vote is complete.
    func next(maxCount: Int) throws -> [Int] {
        while !finished {
            if !pending.isEmpty {
                let count = topLogprobs == nil ? min(maxCount, pending.count) : 1
                defer { pending.removeFirst(count) }
                if count == 1 { record(pending[0]) }
                return Array(pending.prefix(count))
            }
            guard segmentIndex < segments.count else {
                segmentsDone = true
                break
            }
            switch segments[segmentIndex] {
            case .forced(let text):
                output += Array(text.utf8)
                let tokens = tokenizer.encode(text, parseSpecial: false)
                advance()
                if segmentsDone && topLogprobs == nil {
                    unfedTokens = tokens.count
                } else {
                    pending = tokens
                }
            case .free(let budget, let stops):
                if let token = try nextFreeToken(budget: budget, stops: stops) { return [token] }
            case .digit(let slot):
                let digit = chooseDigit(for: slot)
                output += Array(String(digit).utf8)
                advance()
                record(digits.id(of: digit))
                if !segmentsDone { return [digits.id(of: digit)] }
            }
        }
        return []
    }

    private func advance() {
        segmentIndex += 1
        if segmentIndex == segments.count { segmentsDone = true }
    }

    /// Samples the next free token, or ends the segment (returning nil) on its budget, an
    /// end-of-turn or special token, or a stop string (rewinding what the stop began).
    private func nextFreeToken(budget: Int, stops: [String]) throws -> Int? {
        if free == nil {
            free = FreeSegmentState(budget: budget, stops: stops.map { Array($0.utf8) },
                                    sessionStart: session.tokens.count, outputStart: output.count)
        }
        guard var state = free else { return nil }
        guard state.tokens.count < state.budget else {
            if segmentIndex == segments.count - 1 { truncated = true }
            endFree()
            return nil
        }
        let token = try sampler.sample(session.logits)
        if endOfTurn.contains(token) || tokenizer.isSpecial(token) {
            endFree()
            return nil
        }
        let bytes = tokenizer.tokenBytes(token) ?? []
        let segmentBytes = Array(output[state.outputStart...]) + bytes
        if let stopAt = Self.firstOccurrence(of: state.stops, in: segmentBytes) {
            // Keep the whole tokens that end before the stop; take the rest back.
            var kept = 0, keptBytes = 0
            for fed in state.tokens {
                let length = tokenizer.tokenBytes(fed)?.count ?? 0
                guard keptBytes + length <= stopAt else { break }
                kept += 1
                keptBytes += length
            }
            if kept < state.tokens.count {
                try session.rewind(to: state.sessionStart + kept)
                if topLogprobs != nil { logprobs.removeLast(state.tokens.count - kept) }
            }
            output.removeLast(output.count - (state.outputStart + keptBytes))
            endFree()
            return nil
        }
        state.tokens.append(token)
        output += bytes
        free = state
        record(token)
        return token
    }

    /// The log-probability of `token` as the next token (the session's current logits).
    private func record(_ token: Int) {
        guard let topLogprobs else { return }
        logprobs.append(LogprobReadout.logprob(of: token, in: session.logits, top: topLogprobs, tokenizer: tokenizer))
    }

    private func endFree() {
        free = nil
        advance()
    }

    /// The digit for `slot`: the model's distribution restricted to the allowed digits (at
    /// temperature 1, recorded as the readout), then argmax (temperature 0) or a sample at the
    /// vote's temperature.
    private func chooseDigit(for slot: ScoreSlot) -> Int {
        let allowed = Array(slot.allowedDigits)
        let logits = allowed.map { Double(session.logits[digits.id(of: $0)]) }
        distributions[slot] = Self.softmax(logits)
        guard digitTemperature > 0 else {
            return allowed[ScoreReadoutMath.argmax(logits)]
        }
        let tempered = Self.softmax(logits.map { $0 / digitTemperature })
        var draw = random.nextUnit()
        for (index, probability) in tempered.enumerated() {
            draw -= probability
            if draw < 0 { return allowed[index] }
        }
        return allowed[allowed.count - 1]
    }

    static func softmax(_ logits: [Double]) -> [Double] {
        guard let top = logits.max() else { return [] }
        let exps = logits.map { exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }

    /// The earliest byte offset where any of `needles` starts in `haystack`.
    static func firstOccurrence(of needles: [[UInt8]], in haystack: [UInt8]) -> Int? {
        var best: Int?
        for needle in needles where !needle.isEmpty && needle.count <= haystack.count {
            for start in 0...(haystack.count - needle.count) {
                if let best, start >= best { break }
                if haystack[start..<start + needle.count].elementsEqual(needle) {
                    best = start
                    break
                }
            }
        }
        return best
    }
}

enum ScoreReadoutMath {
    /// Index of the largest value; the first on a tie.
    static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }
}
