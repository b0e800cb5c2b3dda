import ArgumentParser
import Engine
import Foundation
import GenRM

/// `genrm judge`: judge a request with the embedded engine or a pool of remote servers.
struct JudgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge",
        abstract: "Judge one or two responses with a model on the CPU (default: the embedded SmolLM2) or on --backend servers.",
        discussion: """
            The request is the same as for `genrm prompt`. By default the output skeleton is decoded \
            under constraint: reasoning and analyses are free text within budgets, the markers are \
            forced, and each score is a digit chosen among the allowed ones while the model's \
            probabilities over them are read out (expected_scores). --free generates without \
            constraint and parses what the model wrote. Several votes share one prompt prefill. \
            With --backend (or $GENRM_BACKENDS) the judgments come from OpenAI-compatible servers \
            (vLLM, llama.cpp, genrm serve): each vote is one request, the scores are read out of \
            the servers' top logprobs, and failed requests are retried on another backend. \
            Exit status: 0 ok, 1 invalid request or model error, 64 usage error.
            """
    )

    @Argument(help: "Request JSON file; `-` or nothing reads standard input.")
    var file: String?

    @OptionGroup var engine: EngineArguments
    @OptionGroup var remote: BackendArguments
    @OptionGroup var promptArguments: JudgePromptArguments

    @Option(parsing: .unconditional, help: "Judgments to sample and combine (voting@N).")
    var votes = 1

    @Flag(help: "Also judge with the two responses swapped and combine both orders (position-swap debiasing).")
    var swap = false

    @Option(parsing: .unconditional, help: "Random seed; vote i uses seed + i.")
    var seed: UInt64 = 1

    @OptionGroup var sampling: JudgeSamplingArguments

    @Flag(help: "Print the combined result (mean scores and ranking, preferred, verdict), vote summary, expected scores, every vote with its judgment, usage and timing as JSON.")
    var json = false

    func validate() throws {
        try sampling.validate(votes: votes, seed: seed)
    }

    var settings: JudgeSettings { sampling.settings(votes: votes, seed: seed) }

    func run() async throws {
        try await CLIExit.run {
            let request = try JudgeRequest(json: try CLIInput.data(file), options: promptArguments.requestOptions)
            let builder = try promptArguments.builder()
            let orders = swap ? 2 : 1
            let result = try await JudgeSource.withJudge(engine: engine, remote: remote, builder: builder, sequences: votes.saturatingMultiplied(by: orders)) { judge in
                engine.progress("judging: \(votes) vote(s)\(swap ? " in both orders" : "")\(remote.isRemote ? ", remote" : sampling.free ? ", free generation" : ", structured")")
                return try await judge.judge(request, votes: votes, swap: swap, settings: settings)
            }
            engine.progress(String(format: "judged %d vote(s) in %.2fs (%d prompt + %d generated tokens)",
                                   votes * orders, result.seconds, result.promptTokens, result.completionTokens))
            return json ? try CLIJSON.string(result) : JudgeReport.text(result)
        }
    }
}

/// A judge result in words.
enum JudgeReport {
    static func text(_ result: JudgeResult) -> String {
        var text = ""
        if let judgment = result.judgment {
            // One vote's analyses in full; with several, the combined result follows.
            if result.votes.count > 1 { text += "First parsed vote:\n" }
            text += JudgmentReport.text(judgment, reasoning: false)
        }
        let summary = result.summary
        if summary.votes > 1 || summary.failedParses > 0 {
            text += "Votes: \(summary)\n"
        }
        if let expected = result.expectedScores {
            text += "Expected helpfulness: " + expected.enumerated()
                .map { String(format: "response %d %.2f", $0.offset + 1, $0.element) }.joined(separator: ", ")
            if let ranking = result.expectedRanking { text += String(format: "; expected ranking %.2f", ranking) }
            text += "\n"
        }
        text += "Overall: \(result.verdictText)\n"
        return text
    }
}
