import Foundation

/// Where benchmark data is read from, and which files of a benchmark a path holds.
public enum DataLocation {
    /// The data root when `--data` is not given: `$GENRM_DATA`, else `../shared/data` relative to
    /// the working directory (the layout of this project's workspace).
    public static let defaultRelativeRoot = "../shared/data"
    public static let environmentVariable = "GENRM_DATA"

    public static func root(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit { return explicit }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultRelativeRoot
    }

    /// RM-Bench's domain files, by domain key (the `domain` part of item ids).
    public static let rmBenchFiles: [(domain: String, file: String)] = [
        ("chat", "chat_filtered.json"), ("math", "math_filtered.json"), ("code", "code_filtered.json"),
        ("safety-refuse", "safety-refuse_filtered.json"), ("safety-response", "safety-response_filtered.json"),
    ]

    /// JudgeBench's 350 GPT-4o pairs: the set the model card reports.
    public static let judgeBenchFile = "dataset=judgebench,response_model=gpt-4o-2024-05-13.jsonl"

    /// HelpSteer3's preference validation split, as the Hugging Face dataset names it.
    public static let helpSteer3Files = ["validation.jsonl.gz", "validation.jsonl"]

    /// The files to load for `benchmark` from `path`: the file itself when `path` is a file,
    /// otherwise the benchmark's files found in `path/<benchmark>/` or in `path` itself.
    public static func files(for benchmark: Benchmark, at path: String) throws(EvalDataError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .notFound(benchmark: benchmark.displayName, looked: [path])
        }
        guard isDirectory.boolValue else { return [path] }
        let folders: [String]
        switch benchmark {
        case .rmBench: folders = [join(path, "rm-bench"), path]
        case .judgeBench: folders = [join(path, "judgebench"), path]
        case .helpSteer3: folders = [join(path, "helpsteer3", "preference"), join(path, "helpsteer3"), join(path, "preference"), path]
        }
        let names: [String]
        switch benchmark {
        case .rmBench: names = rmBenchFiles.map(\.file)
        case .judgeBench: names = [judgeBenchFile]
        case .helpSteer3: names = helpSteer3Files
        }
        var looked: [String] = []
        for folder in folders {
            let candidates = names.map { join(folder, $0) }
            looked += candidates
            let present = candidates.filter { FileManager.default.fileExists(atPath: $0) }
            guard let first = present.first else { continue }
            // RM-Bench reads every domain file present; the others read one file (gzip first).
            return benchmark == .rmBench ? present : [first]
        }
        throw .notFound(benchmark: benchmark.displayName, looked: looked)
    }

    static func join(_ parts: String...) -> String {
        parts.dropFirst().reduce(parts[0]) { ($0 as NSString).appendingPathComponent($1) }
    }
}
