import ArgumentParser
import Eval
import Foundation

/// `genrm eval report`: a benchmark's official metrics from a results file alone.
struct EvalReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compute a benchmark's official metrics from a results file.",
        discussion: """
            Needs nothing but the results file. The text and md tables put this run beside the model \
            card's published rows; json prints {"benchmark", "metrics": {column: percent rounded to \
            two decimals}, "counts", "failures", "missing", ...}. A torn last line (a run still \
            writing, or killed) is left out and noted. Exit status: 0 ok, 1 unreadable or invalid \
            results file, 64 usage error.
            """
    )

    @Argument(help: "Results file written by `genrm eval run`.")
    var file: String

    @Option(help: "text, md, json or html.")
    var format: ReportFormat = .text

    func run() throws {
        try CLIExit.run {
            let results = try ResultsFile.read(path: file)
            return format.render(try EvalScoring.report(results), source: file)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
