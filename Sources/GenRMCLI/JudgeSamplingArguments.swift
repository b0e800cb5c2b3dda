import ArgumentParser
import GenRM

/// How each vote is decoded, shared by `genrm judge` and `genrm eval run`: sampling, token caps
/// and the structured skeleton's budgets.
struct JudgeSamplingArguments: ParsableArguments {
    @Option(parsing: .unconditional, help: "Sampling temperature (default: 0 = greedy for one vote, 0.6 for several).")
    var temperature: Double?

    @Option(parsing: .unconditional, help: "Nucleus sampling mass in (0, 1] (default: 1 for one vote, 0.95 for several).")
    var topP: Double?

    @Option(parsing: .unconditional, help: "Keep only the k likeliest tokens (0 = off).")
    var topK = 0

    @Option(parsing: .unconditional, help: "Drop tokens below min-p times the top probability.")
    var minP = 0.0

    @Option(parsing: .unconditional, help: "Cap on generated tokens per vote (free generation: default what the context leaves).")
    var maxTokens: Int?

    @Option(help: "Structured decoding: token budget of the reasoning before </think>.")
    var reasoningTokens = JudgeSettings().reasoningTokens

    @Option(help: "Structured decoding: token budget of each analysis.")
    var analysisTokens = JudgeSettings().analysisTokens

    @Flag(help: "Generate without the structured skeleton and parse the model's own output.")
    var free = false

    /// The settings for `votes` votes (several votes sample by default) seeded with `seed`.
    func settings(votes: Int, seed: UInt64) -> JudgeSettings {
        var sampling = JudgeSettings.defaultSampling(votes: votes, seed: seed)
        if let temperature { sampling.temperature = temperature }
        if let topP { sampling.topP = topP }
        sampling.topK = topK
        sampling.minP = minP
        return JudgeSettings(
            sampling: sampling, maxTokens: maxTokens, structured: !free, reasoningTokens: reasoningTokens, analysisTokens: analysisTokens)
    }

    /// Range checks, as usage errors naming the option.
    func validate(votes: Int, seed: UInt64) throws {
        if votes < 1 { throw ValidationError("--votes must be >= 1, not \(votes)") }
        do {
            try settings(votes: votes, seed: seed).validate()
        } catch {
            throw ValidationError(error.optionMessage)
        }
    }
}
