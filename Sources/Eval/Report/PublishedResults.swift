/// The model card's published tables (Llama-3.3-Nemotron-Super-49B-GenRM-Multilingual, "RM-Bench
/// LeaderBoard" and "JudgeBench LeaderBoard", as of 15 May 2025), printed beside a run's results.
/// Values are percent as the card prints them; columns use the report's names (the card's
/// "Knowl." and "Reason." are Knowledge and Reasoning).
public struct PublishedRow: Sendable, Hashable {
    public var model: String
    public var values: [String: Double]

    init(_ model: String, _ columns: [String], _ numbers: [Double]) {
        self.model = model
        values = Dictionary(uniqueKeysWithValues: zip(columns, numbers))
    }
}

public enum PublishedResults {
    public static let source = "model card of nvidia/Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual (15 May 2025)"

    public static func rows(for benchmark: Benchmark) -> [PublishedRow] {
        switch benchmark {
        case .rmBench: rmBench
        case .judgeBench: judgeBench
        case .helpSteer3: []
        }
    }

    private static let rmBenchColumns = Benchmark.rmBench.columns
    static let rmBench: [PublishedRow] = [
        PublishedRow("Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual", rmBenchColumns, [77.2, 91.9, 74.7, 92.9, 90.7, 86.7, 75.1, 84.2]),
        PublishedRow("+ voting@32", rmBenchColumns, [76.3, 93.2, 79.0, 93.5, 92.1, 88.5, 75.9, 85.5]),
        PublishedRow("Llama-3_3-Nemotron-Super-49B-GenRM", rmBenchColumns, [73.7, 91.4, 75.0, 90.6, 91.2, 85.7, 71.2, 82.7]),
        PublishedRow("+ voting@32", rmBenchColumns, [74.0, 92.7, 77.4, 92.1, 92.6, 87.3, 72.3, 84.0]),
        PublishedRow("Llama-3.3-Nemotron-70B-Reward-Multilingual", rmBenchColumns, [86.2, 82.4, 66.8, 94.1, 86.5, 85.4, 80.0, 82.4]),
        PublishedRow("Llama-3.3-Nemotron-70B-Reward", rmBenchColumns, [75.4, 84.5, 69.3, 90.4, 92.1, 85.7, 71.1, 79.9]),
        PublishedRow("Llama-3.1-Nemotron-70B-Reward", rmBenchColumns, [70.7, 64.3, 57.4, 90.3, 92.2, 76.8, 48.0, 70.7]),
        PublishedRow("Skywork-Reward-Gemma-2-27B", rmBenchColumns, [71.8, 59.2, 56.6, 94.3, 89.6, 75.4, 50.0, 70.5]),
        PublishedRow("Skywork-Reward-Llama-3.1-8B", rmBenchColumns, [69.5, 60.6, 54.5, 95.7, 89.0, 74.7, 46.6, 70.1]),
    ]

    private static let judgeBenchColumns = Benchmark.judgeBench.columns
    static let judgeBench: [PublishedRow] = [
        PublishedRow("Llama-3_3-Nemotron-Super-49B-GenRM", judgeBenchColumns, [71.4, 73.5, 87.5, 76.2, 75.1]),
        PublishedRow("+ voting@32", judgeBenchColumns, [70.8, 83.7, 87.5, 83.3, 78.6]),
        PublishedRow("Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual", judgeBenchColumns, [64.9, 74.5, 87.5, 73.8, 72.3]),
        PublishedRow("+ voting@32", judgeBenchColumns, [65.6, 82.7, 87.5, 85.7, 76.3]),
        PublishedRow("Llama-3.3-Nemotron-70B-Reward", judgeBenchColumns, [70.8, 76.5, 82.1, 66.7, 73.7]),
        PublishedRow("Llama-3.3-Nemotron-70B-Reward-Multilingual", judgeBenchColumns, [66.2, 71.4, 82.1, 59.5, 69.4]),
        PublishedRow("Llama-3.1-Nemotron-70B-Reward", judgeBenchColumns, [62.3, 72.5, 76.8, 57.1, 66.9]),
        PublishedRow("Skywork-Reward-Gemma-2-27B", judgeBenchColumns, [59.7, 66.3, 83.9, 50.0, 64.3]),
        PublishedRow("Skywork-Reward-Llama-3.1-8B", judgeBenchColumns, [59.1, 64.3, 76.8, 50.0, 62.3]),
    ]
}
