import Foundation

/// Where fetched model files live: `$GENRM_CACHE` if set, else `~/.cache/genrm`; models go in
/// its `models/` folder.
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

    public var description: String {
        switch self {
        case .missing(let model, let path):
            return "the model \(model) is not at \(path); fetch it with: genrm models fetch \(model)"
        }
    }
}
