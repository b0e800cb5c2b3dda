import ArgumentParser
import Engine
import Eval
import Foundation
import GenRM

/// `genrm eval run`: judge a benchmark's items with the embedded engine or remote backends, one
/// results line per judgment, resumable.
struct EvalRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Judge every item of a benchmark, appending one JSON line per judgment to --out.",
        discussion: """
            Data is read from --data (a folder or one file), else $GENRM_DATA, else ../shared/data. \
            Rerunning the same command with the same --out skips the judgments already there; a torn \
            last line (a run killed mid-write) is cut off, and lines holding a backend error are retried. \
            JudgeBench judges each pair in both orders; RM-Bench judges the 9 style pairings of each \
            prompt, the chosen response placed by a seeded coin (both orders with --swap); HelpSteer3 \
            skips ties. Progress goes to stderr; the summary to stdout. Exit status: 0 ok, 1 data, \
            model or results-file error, 64 usage error.
            """
    )

    @Option(help: "rm-bench, judgebench or helpsteer3.")
    var benchmark: Benchmark

    @Option(help: "Data folder or file (default: $GENRM_DATA, else ../shared/data).")
    var data: String?

    @Option(help: "Results file (JSON Lines) to append to.")
    var out: String

    @OptionGroup var engine: EngineArguments
    @OptionGroup var remote: BackendArguments

    @Option(parsing: .unconditional, help: "Votes per judgment (voting@N).")
    var votes = 1

    @Flag(help: "RM-Bench and HelpSteer3: also judge with the responses swapped and combine both orders.")
    var swap = false

    @Option(parsing: .unconditional, help: "Judge only the first N items (after --categories), in data order.")
    var limit: Int?

    @Option(help: "Comma-separated categories to judge (e.g. Knowledge,Code), as the report names them.")
    var categories: String?

    @Option(parsing: .unconditional, help: "Seed of the RM-Bench placement coin and of sampling; recorded on every line.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Judgments in flight at once (the embedded engine runs one at a time; a pool of remote backends runs them together).")
    var concurrency = 1

    @OptionGroup var sampling: JudgeSamplingArguments

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be >= 1, not \(limit)") }
        _ = try selectedCategories()
        do {
            try options.validate(for: benchmark)
        } catch {
            throw ValidationError(error.description)
        }
    }

    var settings: JudgeSettings { sampling.settings(votes: votes, seed: seed) }

    var options: EvalRunOptions {
        EvalRunOptions(votes: votes, swap: swap, settings: settings, seed: seed, concurrency: concurrency)
    }

    /// The --categories names, matched case-insensitively to the benchmark's own spelling.
    func selectedCategories() throws -> Set<String>? {
        guard let categories else { return nil }
        var selected: Set<String> = []
        for name in categories.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let known = benchmark.categories.first(where: { $0.lowercased() == name.lowercased() }) else {
                throw ValidationError("--categories: \"\(name)\" is not a \(benchmark.displayName) category (\(benchmark.categories.joined(separator: ", ")))")
            }
            selected.insert(known)
        }
        guard !selected.isEmpty else { throw ValidationError("--categories: no category named") }
        return selected
    }

    func run() async throws {
        try await CLIExit.run {
            let root = DataLocation.root(explicit: data)
            let loaded = try BenchmarkLoader.load(benchmark, from: root, seed: seed)
            let selection = loaded.selecting(categories: try selectedCategories(), limit: limit)
            engine.progress(describe(loaded, selection))
            // Everything that can fail fast is checked before the model is loaded.
            let builder = try JudgePromptBuilder.bundled()
            let bar = EvalProgressBar(enabled: !engine.quiet)
            // Every judgment in flight decodes at once on the engine: concurrency x votes x orders.
            let sequences = concurrency.saturatingMultiplied(by: votes).saturatingMultiplied(by: swap ? 2 : 1)
            let summary = try await JudgeSource.withJudge(engine: engine, remote: remote, builder: builder, sequences: sequences) { judge in
                try await EvalRunner(judge: judge, options: options).run(selection, out: out) { bar.update($0) }
            }
            bar.finish()
            let progress = summary.progress
            var text = "\(out): wrote \(progress.written) judgment(s), skipped \(summary.skipped) already there; "
            text += "\(progress.done) of \(progress.total) done"
            if progress.errors > 0 { text += ", \(progress.errors) backend error(s) (rerun to retry)" }
            return text + ". Report: genrm eval report \(out)\n"
        }
    }

    private func describe(_ loaded: BenchmarkData, _ selection: BenchmarkData) -> String {
        let judgments = selection.items.reduce(0) { $0 + $1.judgments.count }
        var line = "\(benchmark.displayName): \(selection.items.count) of \(loaded.items.count) items selected, \(judgments) judgments"
        if !loaded.missingCategories.isEmpty { line += "; missing from the data: \(loaded.missingCategories.joined(separator: ", "))" }
        for (reason, count) in loaded.skipped.sorted(by: { $0.key < $1.key }) { line += "; skipped \(count) \(reason)" }
        return line
    }
}

extension Benchmark: ExpressibleByArgument {}
