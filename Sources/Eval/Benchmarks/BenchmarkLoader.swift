/// Loads any benchmark from a data root (a folder or a file).
public enum BenchmarkLoader {
    /// - seed: places RM-Bench's chosen responses (other benchmarks fix their order).
    public static func load(_ benchmark: Benchmark, from path: String, seed: UInt64) throws(EvalDataError) -> BenchmarkData {
        let files = try DataLocation.files(for: benchmark, at: path)
        guard let first = files.first else { throw .notFound(benchmark: benchmark.displayName, looked: [path]) }
        switch benchmark {
        case .rmBench: return try RMBenchLoader.load(paths: files, seed: seed)
        case .judgeBench: return try JudgeBenchLoader.load(path: first)
        case .helpSteer3: return try HelpSteer3Loader.load(path: first)
        }
    }
}
