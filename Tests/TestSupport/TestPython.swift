import Foundation

/// The Python the tests run their references, peers and fixture writers in: `$GENRM_PYTHON` (the
/// Makefile sets it to the venv scripts/python-env.sh makes), else that venv at its default place
/// under `$GENRM_CACHE` (default ~/.cache/genrm), else `python3` from the PATH.
public enum TestPython {
    public static var command: [String] {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["GENRM_PYTHON"], FileManager.default.isExecutableFile(atPath: path) { return [path] }
        let cache = environment["GENRM_CACHE"] ?? NSString(string: "~/.cache/genrm").expandingTildeInPath
        let venv = cache + "/venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? [venv] : ["/usr/bin/env", "python3"]
    }

    /// `command` as an executable and its leading arguments, for `Process`.
    public static func process(_ arguments: [String]) -> (executable: URL, arguments: [String]) {
        let command = command
        return (URL(fileURLWithPath: command[0]), Array(command.dropFirst()) + arguments)
    }
}
