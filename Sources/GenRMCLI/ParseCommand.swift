import ArgumentParser
import Foundation
import GenRM

/// `genrm parse`: read a GenRM output into its analyses, scores, ranking and verdict.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a GenRM output into analyses, scores, ranking and verdict.",
        discussion: """
            Exit status: 0 ok, 1 the output holds no valid judgment (the reason on stderr), \
            64 usage error.
            """
    )

    @Argument(help: "Model output text file; `-` or nothing reads standard input.")
    var file: String?

    @Option(parsing: .unconditional, help: "Number of judged responses, 1 or 2 (default: the number of scores in the output).")
    var responses: Int?

    @Flag(help: "Print {\"reasoning\", \"analyses\", \"scores\", \"ranking\", \"preferred\"} as JSON.")
    var json = false

    @Flag(help: "Also print the reasoning trace (human output only).")
    var reasoning = false

    func validate() throws {
        if let responses, ResponseCount(rawValue: responses) == nil {
            throw ValidationError("--responses must be 1 or 2, not \(responses)")
        }
    }

    func run() throws {
        try CLIExit.run {
            let output = try CLIInput.text(file)
            let judgment = try JudgmentParser.parse(output, responses: responses.flatMap(ResponseCount.init(rawValue:)))
            return json ? try CLIJSON.string(judgment) : JudgmentReport.text(judgment, reasoning: reasoning)
        }
    }
}

/// A judgment in words, for people reading the terminal.
enum JudgmentReport {
    static func text(_ judgment: Judgment, reasoning showReasoning: Bool) -> String {
        var lines: [String] = []
        if showReasoning {
            lines += ["Reasoning:", judgment.reasoning.isEmpty ? "(none)" : judgment.reasoning, ""]
        }
        for (index, analysis) in judgment.analyses.enumerated() {
            lines += ["Analysis of response \(index + 1):", analysis ?? "(no analysis block)", ""]
        }
        let scores = judgment.scores.enumerated().map { index, score in
            "response \(index + 1): \(score) of 5 (\(Helpfulness(rawValue: score).map(String.init(describing:)) ?? "?"))"
        }
        lines.append("Helpfulness: " + scores.joined(separator: "; "))
        if let ranking = judgment.ranking {
            lines.append("Ranking: \(ranking) of 6")
        }
        lines.append("Verdict: \(judgment.verdict)")
        return lines.joined(separator: "\n") + "\n"
    }
}
