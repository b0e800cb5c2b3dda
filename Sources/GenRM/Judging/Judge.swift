/// The judge, written once over any backend: request -> judging prompt -> backend -> parser ->
/// votes -> verdict, with optional position-swap debiasing. The CLI, the server and the
/// evaluation harness all call this.
public struct Judge: Sendable {
    public let backend: any JudgeBackend
    public let promptBuilder: JudgePromptBuilder

    public init(backend: any JudgeBackend, promptBuilder: JudgePromptBuilder) {
        self.backend = backend
        self.promptBuilder = promptBuilder
    }

    /// Judges `request` `votes` times (and as many times again with the responses swapped when
    /// `swap` is set), parses every vote and combines them. Parse failures are kept and counted,
    /// never replaced by neutral scores.
    public func judge(
        _ request: JudgeRequest, votes: Int = 1, swap: Bool = false, settings: JudgeSettings = JudgeSettings()
    ) async throws -> JudgeResult {
        guard votes >= 1 else { throw JudgeError.invalidVotes(votes) }
        guard votes <= backend.maxVotes else { throw JudgeError.tooManyVotes(requested: votes, max: backend.maxVotes) }
        try settings.validate()
        if swap, request.responseCount != .two { throw JudgeError.swapNeedsTwoResponses }
        let clock = ContinuousClock()
        let start = clock.now

        let affinity = request.affinityKey
        let original = try await run(request, order: .original, votes: votes, settings: settings, affinity: affinity)
        var swapped: [JudgeVote] = []
        if swap {
            var swappedSettings = settings
            swappedSettings.sampling.seed = settings.sampling.seed &+ UInt64(votes)
            swapped = try await run(
                try request.swapped(), order: .swapped, votes: votes, settings: swappedSettings, affinity: affinity)
        }
        let summary = try swap
            ? PositionSwap.debias(original: original.map(\.outcome), swapped: swapped.map(\.outcome))
            : Voting.combine(original.map(\.outcome), responses: request.responseCount)
        let elapsed = start.duration(to: clock.now)
        let all = original + swapped
        return JudgeResult(
            model: backend.modelName, responses: request.responseCount, votes: all,
            summary: summary, seconds: elapsed.seconds,
            identicalVotes: settings.sampling.temperature > 0 ? Self.identicalGroups(all) : [])
    }

    /// Groups (vote indices, two or more) whose texts are identical. Sampled votes should differ;
    /// identical ones point at a backend that ignored the per-vote seed (vLLM 0.8's `n` > 1 did),
    /// so they are reported rather than hidden.
    static func identicalGroups(_ votes: [JudgeVote]) -> [[Int]] {
        var byText: [String: [Int]] = [:]
        for (index, vote) in votes.enumerated() { byText[vote.completion.text, default: []].append(index) }
        return byText.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    private func run(
        _ request: JudgeRequest, order: JudgeVote.Order, votes: Int, settings: JudgeSettings, affinity: String
    ) async throws -> [JudgeVote] {
        let input = JudgeInput(request: request, prompt: promptBuilder.prompt(for: request), affinity: affinity)
        let completions = try await backend.complete(input, settings: settings, votes: votes)
        guard completions.count == votes else {
            throw JudgeError.backendReturnedWrongCount(expected: votes, got: completions.count)
        }
        return completions.map { completion in
            let outcome: Result<Judgment, JudgmentParseError>
            do throws(JudgmentParseError) {
                outcome = .success(try JudgmentParser.parse(completion.text, responses: request.responseCount))
            } catch {
                outcome = .failure(error)
            }
            return JudgeVote(order: order, completion: completion, outcome: outcome)
        }
    }
}

public enum JudgeError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidVotes(Int)
    case tooManyVotes(requested: Int, max: Int)
    case swapNeedsTwoResponses
    case backendReturnedWrongCount(expected: Int, got: Int)

    /// The request field to blame, where one is.
    public var field: String? {
        switch self {
        case .invalidVotes, .tooManyVotes: "votes"
        case .swapNeedsTwoResponses: "swap"
        case .backendReturnedWrongCount: nil
        }
    }

    public var description: String {
        switch self {
        case .invalidVotes(let votes): "votes = \(votes) is out of range: must be >= 1"
        case .tooManyVotes(let requested, let max): "votes = \(requested) is out of range: this judge runs at most \(max) votes at once"
        case .swapNeedsTwoResponses: "swap needs two responses (response_1 and response_2)"
        case .backendReturnedWrongCount(let expected, let got): "the backend returned \(got) completions for \(expected) votes"
        }
    }
}
