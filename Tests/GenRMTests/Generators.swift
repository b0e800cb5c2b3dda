import GenRM
import PropertyBased

/// Random judgments and votes for the property tests (type-erased so they can be shared).
enum Generators {
    /// A valid two-response judgment.
    static var pairJudgment: Generator<Judgment, AnySequence<Any>> {
        zip(Gen.int(in: 1...5), Gen.int(in: 1...5), Gen.int(in: 1...6))
            .compactMap { numbers in try? Judgment(scores: [numbers.0, numbers.1], ranking: numbers.2) }
            .eraseToAny()
    }

    /// A vote: usually a two-response judgment, sometimes a parse failure.
    static var pairVote: Generator<Result<Judgment, JudgmentParseError>, AnySequence<Any>> {
        zip(Gen.bool(0.2), pairJudgment).map { drawn -> Result<Judgment, JudgmentParseError> in
            drawn.0 ? .failure(JudgmentParseError(failure: .truncated, rawOutput: "<think>cut")) : .success(drawn.1)
        }.eraseToAny()
    }

    static var pairVotes: Generator<[Result<Judgment, JudgmentParseError>], AnySequence<Any>> {
        pairVote.array(of: 1...12).eraseToAny()
    }
}

extension Array where Element == Result<Judgment, JudgmentParseError> {
    var judgments: [Judgment] {
        compactMap { try? $0.get() }
    }
}
