import ArgumentParser
import Foundation
import GenRM

/// `genrm rewards`: one reward per candidate of a group, from pairwise judgments (RL).
struct RewardsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewards",
        abstract: "Turn a group of candidate responses into one reward each by pairwise judging (NeMo-RL's GenRM rewards).",
        discussion: """
            The input is {"history": [...], "candidates": [...], "schedule": "circular"|"all_pairs", \
            "swap": bool, "votes": n, "aggregator": "simple_tiebreaker"|"weighted_win_loss"|"individual_scores"} \
            plus optional temperature, top_p, top_k, min_p, seed, max_tokens. Every comparison runs at \
            once (over the --backend pool, or the embedded engine). Prints {"rewards", "comparisons", \
            "failures", ...} as JSON; a candidate none of whose comparisons parsed has reward null. \
            Exit status: 0 ok, 1 invalid request or backend failure, 64 usage error.
            """
    )

    @Argument(help: "Rewards request JSON file; `-` or nothing reads standard input.")
    var file: String?

    @OptionGroup var engine: EngineArguments
    @OptionGroup var remote: BackendArguments
    @OptionGroup var promptArguments: JudgePromptArguments

    func run() async throws {
        try await CLIExit.run {
            let request = try RewardsRequest(json: try CLIInput.data(file))
            let builder = try promptArguments.builder()
            let pairs = request.schedule.pairCount(candidates: request.candidates.count)
            let comparisons = pairs * (request.swap ? 2 : 1)
            let result = try await JudgeSource.withJudge(
                engine: engine, remote: remote, builder: builder, sequences: comparisons.saturatingMultiplied(by: request.votes)
            ) { judge in
                engine.progress("rewards: \(request.candidates.count) candidates, \(pairs) pairs\(request.swap ? " in both orders" : ""), \(request.votes) vote(s) each")
                return try await GroupRewards.run(request, judge: judge)
            }
            return try CLIJSON.string(result)
        }
    }
}
