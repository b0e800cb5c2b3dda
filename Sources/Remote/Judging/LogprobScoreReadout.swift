import Foundation
import GenRM

/// The score read-out from a server's token log-probabilities, the remote twin of the embedded
/// engine's structured read-out: at each score slot (the digit inside each `\boxed{...}` of the
/// individual-scores and ranking blocks) the probabilities of the allowed digits (1-5, ranking
/// 1-6) are taken from `top_logprobs` and renormalised over the allowed digits.
///
/// A slot's alternatives are the tokens spelled like the chosen one with the digit exchanged
/// (`5` -> `1`..`5`; a merged `{5` -> `{1`..`{5`), so tokenisers that glue digits to neighbours
/// are read too. Allowed digits absent from the top list are named in `missing`; a slot whose
/// chosen token is not among its own alternatives, or an output without the blocks, reads nil.
public enum LogprobScoreReadout {
    public struct Result: Sendable, Hashable {
        public var readout: ScoreReadout?
        /// Slot name (`response_1`, `response_2`, `ranking`) -> allowed digits the server's top
        /// logprobs did not hold (their probability counts as 0).
        public var missing: [String: [Int]]
        /// Why nothing was read, when `readout` is nil.
        public var unreadable: String?
    }

    public static func read(_ tokens: [TokenAlternatives], responses: ResponseCount) -> Result {
        var offsets: [Int] = []
        var text: [UInt8] = []
        for token in tokens {
            offsets.append(text.count)
            text += Array(token.token.utf8)
        }
        let start = ByteSearch.lastRange(of: JudgmentFormat.thinkEnd, in: text)?.upperBound ?? 0
        var missing: [String: [Int]] = [:]
        func fail(_ why: String) -> Result { Result(readout: nil, missing: missing, unreadable: why) }

        guard let scores = boxedDigits(after: JudgmentFormat.scoresBegin, from: start, in: text),
              scores.count == responses.rawValue else {
            return fail("no \\boxed{...} with \(responses.rawValue) digit(s) in the individual-scores block")
        }
        var distributions: [[Double]] = []
        for (slot, position) in scores.enumerated() {
            let name = "response_\(slot + 1)"
            guard let distribution = distribution(at: position, range: 1...5, tokens: tokens, offsets: offsets, name: name, missing: &missing) else {
                return fail("the score of \(name) is not read from the top logprobs")
            }
            distributions.append(distribution)
        }
        var ranking: [Double]?
        if responses == .two {
            guard let positions = boxedDigits(after: JudgmentFormat.rankingBegin, from: scores.last!, in: text), positions.count == 1 else {
                return fail("no \\boxed{digit} in the ranking block")
            }
            guard let distribution = distribution(at: positions[0], range: 1...6, tokens: tokens, offsets: offsets, name: "ranking", missing: &missing) else {
                return fail("the ranking is not read from the top logprobs")
            }
            ranking = distribution
        }
        let readout = ScoreReadout(scoreDistributions: distributions, rankingDistribution: ranking, missingDigits: missing)
        return Result(readout: readout, missing: missing, unreadable: nil)
    }

    /// Byte positions of the single digits inside the first `\boxed{...}` after `marker`.
    static func boxedDigits(after marker: String, from start: Int, in text: [UInt8]) -> [Int]? {
        guard let markerAt = ByteSearch.firstRange(of: marker, in: text, from: start),
              let open = ByteSearch.firstRange(of: JudgmentFormat.boxedOpen, in: text, from: markerAt.upperBound) else { return nil }
        var index = open.upperBound
        var digits: [Int] = []
        while index < text.count, text[index] != UInt8(ascii: "}") {
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[index]) {
                // A number of two or more digits is no score slot.
                if let last = digits.last, last == index - 1 { return nil }
                digits.append(index)
            }
            index += 1
        }
        return index < text.count ? digits : nil
    }

    /// P(digit) over `range` at byte `position`, renormalised; nil when the slot cannot be read.
    static func distribution(
        at position: Int, range: ClosedRange<Int>, tokens: [TokenAlternatives], offsets: [Int], name: String,
        missing: inout [String: [Int]]
    ) -> [Double]? {
        guard let index = offsets.lastIndex(where: { $0 <= position }) else { return nil }
        let chosen = Array(tokens[index].token.utf8)
        let within = position - offsets[index]
        let prefix = chosen[..<within], suffix = chosen[(within + 1)...]
        var probabilities = Array(repeating: 0.0, count: range.count)
        var absent: [Int] = []
        for digit in range {
            let spelled = String(decoding: prefix + Array(String(digit).utf8) + suffix, as: UTF8.self)
            if let alternative = tokens[index].top.first(where: { $0.token == spelled }) {
                probabilities[digit - range.lowerBound] = exp(alternative.logprob)
            } else {
                absent.append(digit)
            }
        }
        let chosenDigit = Int(chosen[within]) - Int(UInt8(ascii: "0"))
        guard range.contains(chosenDigit), !tokens[index].top.isEmpty else { return nil }
        if absent.contains(chosenDigit) {
            // The chosen token always has a logprob even when the top list omits it.
            probabilities[chosenDigit - range.lowerBound] = exp(tokens[index].logprob)
            absent.removeAll { $0 == chosenDigit }
        }
        if !absent.isEmpty { missing[name] = absent }
        let total = probabilities.reduce(0, +)
        guard total > 0, total.isFinite else { return nil }
        return probabilities.map { $0 / total }
    }
}
