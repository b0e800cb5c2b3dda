/// JudgeBench's official scoring (Tan et al. 2024): each pair is judged in both orders; each
/// game's decision, mapped back to the pair's own frame, adds +1 to the pair's counter when it
/// agrees with the label, -1 when it contradicts it, 0 for no decision (a 3.5 ranking or a
/// failed parse). A pair is correct iff its counter is > 0. Categories and Overall divide by
/// all pairs; Overall is pooled over pairs, not a mean of categories.
public enum JudgeBenchScoring {
    /// The pair's counter from its games' records (`chosen_position` already encodes the label in
    /// each game's frame, so agreement is "prefers the chosen position").
    public static func counter(_ games: [ResultRecord]) -> Int {
        games.reduce(0) { $0 + ($1.prefersChosen ? 1 : $1.prefersRejected ? -1 : 0) }
    }

    public static func report(_ records: [ResultRecord]) -> EvalReport {
        var report = EvalScoring.common(.judgeBench, records)
        var correct: [String: Int] = [:], pairs: [String: Int] = [:]
        var oneGame = 0
        for (_, games) in EvalScoring.byItem(records) {
            guard let category = games.first?.category else { continue }
            pairs[category, default: 0] += 1
            if counter(games) > 0 { correct[category, default: 0] += 1 }
            if games.count < JudgeBenchGame.allCases.count { oneGame += 1 }
        }
        for category in Benchmark.judgeBench.categories {
            guard let total = pairs[category] else { continue }
            report.metrics[category] = EvalScoring.percent(correct[category] ?? 0, of: total)
            report.counts[category] = total
        }
        let total = pairs.values.reduce(0, +)
        report.counts["Overall"] = total
        if total > 0 { report.metrics["Overall"] = EvalScoring.percent(correct.values.reduce(0, +), of: total) }
        if oneGame > 0 { report.notes.append("\(oneGame) pair(s) have only one of their two games judged") }
        return report
    }
}
