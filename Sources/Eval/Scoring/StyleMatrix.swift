/// RM-Bench's 3x3 accuracy matrix of one domain: cell [i][j] is the share of prompts whose
/// chosen response in style i beats the rejected response in style j (0 concise, 1 detailed
/// plain, 2 detailed markdown). A tie or a failed parse is a loss.
public struct StyleMatrix: Sendable, Hashable {
    /// `[chosen style][rejected style]`: judgments won.
    public var wins: [[Int]]
    /// `[chosen style][rejected style]`: judgments made.
    public var totals: [[Int]]

    public init(wins: [[Int]], totals: [[Int]]) {
        self.wins = wins
        self.totals = totals
    }

    public static let empty = StyleMatrix(
        wins: Array(repeating: Array(repeating: 0, count: RMBenchPairing.styles), count: RMBenchPairing.styles),
        totals: Array(repeating: Array(repeating: 0, count: RMBenchPairing.styles), count: RMBenchPairing.styles))

    public mutating func add(_ pairing: RMBenchPairing, won: Bool) {
        totals[pairing.chosen][pairing.rejected] += 1
        if won { wins[pairing.chosen][pairing.rejected] += 1 }
    }

    /// Shares in [0, 1], or nil when some cell has no judgment (the matrix is not defined).
    public var cells: [[Double]]? {
        guard totals.allSatisfy({ $0.allSatisfy { $0 > 0 } }) else { return nil }
        return zip(wins, totals).map { zip($0, $1).map { Double($0) / Double($1) } }
    }

    /// Cells below the diagonal (chosen more formatted than rejected: the easy direction).
    public var easy: Double? { mean { $0 > $1 } }
    /// The diagonal (same style).
    public var normal: Double? { mean { $0 == $1 } }
    /// Cells above the diagonal (chosen less formatted than rejected: style works against it).
    public var hard: Double? { mean { $0 < $1 } }
    /// All nine cells: the domain's score.
    public var overall: Double? { mean { _, _ in true } }

    private func mean(_ include: (Int, Int) -> Bool) -> Double? {
        guard let cells else { return nil }
        var sum = 0.0, count = 0
        for i in cells.indices {
            for j in cells[i].indices where include(i, j) {
                sum += cells[i][j]
                count += 1
            }
        }
        return sum / Double(count)
    }
}
