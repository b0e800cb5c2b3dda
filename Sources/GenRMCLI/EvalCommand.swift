import ArgumentParser

/// `genrm eval`: run benchmarks into a results file, and report their official metrics.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a judge on RM-Bench, JudgeBench or HelpSteer3, scored by the official rules.",
        subcommands: [EvalRunCommand.self, EvalReportCommand.self]
    )
}
