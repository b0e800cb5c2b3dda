import Foundation

/// Where a subcommand reads its main input: a FILE argument, or standard input when the argument
/// is `-` or left out.
enum CLIInput {
    static let standardInputName = "-"

    /// The raw bytes of the input.
    static func data(_ path: String?) throws(CLIFailure) -> Data {
        guard let path, path != standardInputName else {
            return FileHandle.standardInput.readDataToEndOfFile()
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIFailure("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw CLIFailure("\(path): is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure("\(path): cannot be read")
        }
        return data
    }

    /// The input as UTF-8 text; other encodings are refused rather than guessed.
    static func text(_ path: String?) throws(CLIFailure) -> String {
        let data = try data(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure("\(displayName(path)): not UTF-8 text")
        }
        return text
    }

    static func displayName(_ path: String?) -> String {
        guard let path, path != standardInputName else { return "standard input" }
        return path
    }
}
