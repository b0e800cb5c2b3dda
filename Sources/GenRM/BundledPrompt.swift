import Foundation

/// Finds `judge-prompt.txt` in the package's resource bundle.
///
/// SwiftPM's generated `Bundle.module` stops the program with `fatalError` when the bundle is not
/// next to the executable; genrm looks in the same places itself and reports a typed error
/// instead, so a broken installation fails with a message rather than a crash.
enum BundledPrompt {
    static let resourceName = "judge-prompt"
    static let resourceExtension = "txt"
    static let bundleNames = ["genrm_GenRM.resources", "genrm_GenRM.bundle"]

    /// Read once per process: the file does not change under a running program.
    static let text: Result<String, PromptTemplateError> = load()

    private static func load() -> Result<String, PromptTemplateError> {
        var roots: [URL] = [Bundle.main.bundleURL]
        if let resources = Bundle.main.resourceURL { roots.append(resources) }
        if let executable = Bundle.main.executableURL { roots.append(executable.deletingLastPathComponent()) }
        var searched: [String] = []
        for root in roots {
            for bundleName in bundleNames {
                let bundle = root.appendingPathComponent(bundleName)
                for folder in [bundle, bundle.appendingPathComponent("Contents/Resources")] {
                    let file = folder.appendingPathComponent("\(resourceName).\(resourceExtension)")
                    searched.append(file.path)
                    guard let data = FileManager.default.contents(atPath: file.path) else { continue }
                    guard let text = String(data: data, encoding: .utf8) else {
                        return .failure(.notUTF8(path: file.path))
                    }
                    return .success(text)
                }
            }
        }
        return .failure(.resourceMissing(searched: searched))
    }
}
