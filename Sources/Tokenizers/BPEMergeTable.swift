/// The merge rules of a BPE vocabulary: for a pair of adjacent token ids, the rank of the rule
/// that merges them (lower merges first) and the id of the merged token.
struct BPEMergeTable: Sendable {
    struct Rule: Sendable, Equatable {
        var rank: Int32
        var merged: Int32
    }

    private var rules: [UInt64: Rule] = [:]

    init() {}

    var count: Int { rules.count }

    /// Adds a rule; false when the pair already has one (the table keeps the first).
    @discardableResult
    mutating func add(left: Int32, right: Int32, rule: Rule) -> Bool {
        let key = Self.key(left, right)
        guard rules[key] == nil else { return false }
        rules[key] = rule
        return true
    }

    @inline(__always)
    func rule(_ left: Int32, _ right: Int32) -> Rule? {
        rules[Self.key(left, right)]
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }
}
