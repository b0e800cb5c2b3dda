/// The benchmarks the harness runs, named as on the command line and in results files.
public enum Benchmark: String, Sendable, Hashable, Codable, CaseIterable {
    case rmBench = "rm-bench"
    case judgeBench = "judgebench"
    case helpSteer3 = "helpsteer3"

    /// The name people read in reports.
    public var displayName: String {
        switch self {
        case .rmBench: "RM-Bench"
        case .judgeBench: "JudgeBench"
        case .helpSteer3: "HelpSteer3"
        }
    }

    /// The categories (domains) an item can belong to, in the model card's column order. These
    /// exact names are the `category` of every results line and the report's column names.
    public var categories: [String] {
        switch self {
        case .rmBench: ["Chat", "Math", "Code", "Safety"]
        case .judgeBench: ["Knowledge", "Reasoning", "Math", "Code"]
        case .helpSteer3: ["General", "STEM", "Code", "Multilingual"]
        }
    }

    /// Every column of the report, categories first, as the model card lays them out.
    public var columns: [String] {
        switch self {
        case .rmBench: categories + ["Easy", "Normal", "Hard", "Overall"]
        case .judgeBench, .helpSteer3: categories + ["Overall"]
        }
    }

    /// The `pair` values a results line of this benchmark may carry.
    public func isValidPair(_ pair: String) -> Bool {
        switch self {
        case .judgeBench: return pair == JudgeBenchGame.original.rawValue || pair == JudgeBenchGame.swapped.rawValue
        case .rmBench: return RMBenchPairing(key: pair) != nil
        case .helpSteer3: return pair == HelpSteer3Loader.pairKey
        }
    }
}

/// The two games of a JudgeBench pair: response A in position 1, then response B in position 1.
public enum JudgeBenchGame: String, Sendable, Hashable, CaseIterable {
    case original = "AB"
    case swapped = "BA"
}

/// One of RM-Bench's nine style pairings: chosen style `chosen` against rejected style
/// `rejected` (0 = concise, 1 = detailed plain text, 2 = detailed markdown). Written "i-j".
public struct RMBenchPairing: Sendable, Hashable, Comparable {
    public static let styles = 3
    public let chosen: Int
    public let rejected: Int

    public init?(chosen: Int, rejected: Int) {
        guard (0..<Self.styles).contains(chosen), (0..<Self.styles).contains(rejected) else { return nil }
        self.chosen = chosen
        self.rejected = rejected
    }

    public init?(key: String) {
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 1 }),
              let chosen = Int(parts[0]), let rejected = Int(parts[1]) else { return nil }
        self.init(chosen: chosen, rejected: rejected)
    }

    public var key: String { "\(chosen)-\(rejected)" }

    /// All nine pairings, row by row (chosen style outer).
    public static let all: [RMBenchPairing] = (0..<styles).flatMap { chosen in
        (0..<styles).compactMap { RMBenchPairing(chosen: chosen, rejected: $0) }
    }

    public static func < (lhs: RMBenchPairing, rhs: RMBenchPairing) -> Bool {
        (lhs.chosen, lhs.rejected) < (rhs.chosen, rhs.rejected)
    }
}
