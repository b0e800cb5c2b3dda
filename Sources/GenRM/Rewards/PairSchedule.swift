/// Two of N candidate responses, judged as response 1 (`first`) and response 2 (`second`);
/// indices are 0-based positions in the candidate list.
public struct CandidatePair: Sendable, Hashable, Codable {
    public var first: Int
    public var second: Int

    public init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }
}

/// Which pairs of N candidates get judged (PROTOCOL.md section 5).
public enum PairSchedule: String, Sendable, Hashable, Codable, CaseIterable {
    /// Each candidate against the next, wrapping around: (i, i+1 mod N), N pairs. For N = 2 this
    /// is (0, 1) and (1, 0): the pair in both orders.
    case circular
    /// Every pair once, i < j: N(N-1)/2 pairs.
    case allPairs = "all_pairs"

    /// How many pairs `pairs(candidates:)` gives, computed without building them (`Int.max`
    /// where it would not fit).
    public func pairCount(candidates: Int) -> Int {
        guard candidates >= 2 else { return 0 }
        switch self {
        case .circular: return candidates
        case .allPairs: return candidates % 2 == 0
            ? (candidates / 2).saturatingMultiplied(by: candidates - 1) : ((candidates - 1) / 2).saturatingMultiplied(by: candidates)
        }
    }

    /// The pairs to judge for `candidates` candidates; empty for fewer than two.
    public func pairs(candidates: Int) -> [CandidatePair] {
        guard candidates >= 2 else { return [] }
        switch self {
        case .circular:
            return (0..<candidates).map { CandidatePair($0, ($0 + 1) % candidates) }
        case .allPairs:
            return (0..<candidates).flatMap { i in ((i + 1)..<candidates).map { CandidatePair(i, $0) } }
        }
    }
}
