import Foundation

/// Where fetched model files live: `$GENRM_CACHE` if set, else `~/.cache/genrm`; models go in
/// its `models/` folder. Local Hugging Face checkpoint directories are named there too: a link
/// `models/NAME` to the directory (`genrm models link DIR --name NAME`) lets `--model NAME`
/// stand for it.
public struct ModelCache: Sendable {
    public static let environmentVariable = "GENRM_CACHE"

    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The cache the environment selects.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ModelCache {
        if let custom = environment[environmentVariable], !custom.isEmpty {
            return ModelCache(root: URL(fileURLWithPath: custom, isDirectory: true))
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return ModelCache(root: home.appendingPathComponent(".cache/genrm", isDirectory: true))
    }

    public var modelsDirectory: URL { root.appendingPathComponent("models", isDirectory: true) }

    public func location(of model: KnownModel) -> URL {
        modelsDirectory.appendingPathComponent(model.fileName)
    }

    /// Where the checked pieces of a model being fetched wait, so an interrupted fetch resumes
    /// at the first piece it lacks.
    public func partsDirectory(of model: KnownModel) -> URL {
        modelsDirectory.appendingPathComponent(".parts/\(model.name)", isDirectory: true)
    }

    /// The checkpoint directories named in the cache: each entry of `models/` that is (or links
    /// to) a directory holding a config.json, by name, in name order.
    public func checkpoints() -> [(name: String, directory: URL)] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: modelsDirectory.path) else { return [] }
        return names.sorted().filter { !$0.hasPrefix(".") }.compactMap { name in
            checkpoint(named: name).map { (name, $0) }
        }
    }

    /// The checkpoint directory named `name` in the cache (the link resolved), or nil.
    public func checkpoint(named name: String) -> URL? {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { return nil }
        let entry = modelsDirectory.appendingPathComponent(name).resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: entry.path, isDirectory: &isDirectory), isDirectory.boolValue,
            FileManager.default.fileExists(atPath: entry.appendingPathComponent("config.json").path)
        else { return nil }
        return entry
    }

    /// Names the checkpoint `directory` as `name`: a link `models/NAME` to it. A name already
    /// taken (by a fetched model's file or another link) is refused.
    public func link(checkpoint directory: URL, as name: String) throws(ModelCacheError) -> URL {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), KnownModel.named(name) == nil else {
            throw .invalidName(name)
        }
        let entry = modelsDirectory.appendingPathComponent(name)
        let manager = FileManager.default
        if (try? manager.destinationOfSymbolicLink(atPath: entry.path)) != nil || manager.fileExists(atPath: entry.path) {
            throw .nameTaken(name: name, path: entry.path)
        }
        do {
            try manager.createDirectory(at: modelsDirectory, withIntermediateDirectories: true)
            try manager.createSymbolicLink(atPath: entry.path, withDestinationPath: directory.standardizedFileURL.path)
        } catch {
            throw .cannotLink(path: entry.path, reason: error.localizedDescription)
        }
        return entry
    }

    /// What a `--model` argument names: an existing file or directory as it is, else a known
    /// model's cached file or a named checkpoint directory, else the argument unchanged (so that
    /// opening it fails naming it).
    public func resolve(model argument: String) -> String {
        if FileManager.default.fileExists(atPath: argument) { return argument }
        if let known = KnownModel.named(argument), let url = try? require(known) { return url.path }
        if let directory = checkpoint(named: argument) { return directory.path }
        return argument
    }

    /// The path of `model` if it is present, else an error that says how to fetch it.
    public func require(_ model: KnownModel) throws(ModelCacheError) -> URL {
        let url = location(of: model)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .missing(model: model.name, path: url.path)
        }
        return url
    }
}

public enum ModelCacheError: Error, Equatable, CustomStringConvertible {
    case missing(model: String, path: String)
    case invalidName(String)
    case nameTaken(name: String, path: String)
    case cannotLink(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let model, let path):
            return "the model \(model) is not at \(path); fetch it with: genrm models fetch \(model)"
        case .invalidName(let name):
            return "'\(name)' cannot name a model: a name is one path component, not starting with '.', and not a known model's"
        case .nameTaken(let name, let path):
            return "the name \(name) is taken: \(path) exists"
        case .cannotLink(let path, let reason):
            return "cannot create \(path): \(reason)"
        }
    }
}
