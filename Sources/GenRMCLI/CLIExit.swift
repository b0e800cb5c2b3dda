import ArgumentParser
import Foundation

/// A failure of the command's input or work that the user can act on ("file not found", "not
/// valid JSON"); reported as one line on stderr with exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The exit-status convention every genrm subcommand follows:
/// - 0: success; the result on stdout.
/// - 1: invalid input or a failed operation; one line `genrm: error: ...` on stderr, nothing on
///   stdout.
/// - 64: usage errors (unknown option, bad option value), reported by ArgumentParser through
///   `ValidationError`.
///
/// A command computes its whole output first and prints it only on success, so a failure
/// midway never leaves partial output on stdout.
enum CLIExit {
    static let failureStatus: Int32 = 1

    /// Runs `produce` and writes its text to stdout unchanged (no newline is added).
    static func run(_ produce: () throws -> String) throws {
        let output: String
        do {
            output = try produce()
        } catch {
            throw report(error)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// The async form, for commands that judge or generate.
    static func run(_ produce: () async throws -> String) async throws {
        let output: String
        do {
            output = try await produce()
        } catch {
            throw report(error)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// ArgumentParser's own errors (usage errors, explicit exit codes) pass through unchanged;
    /// anything else becomes one line on stderr and exit status 1.
    static func report(_ error: any Error) -> any Error {
        if error is ValidationError || error is ExitCode || error is CleanExit { return error }
        writeError(oneLine(error))
        return ExitCode(failureStatus)
    }

    static func writeError(_ message: String) {
        FileHandle.standardError.write(Data("genrm: error: \(message)\n".utf8))
    }

    /// The error's message (its `description`) with line breaks folded into spaces, so that it
    /// stays one line.
    static func oneLine(_ error: any Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
