/// HelpSteer3 preference accuracy (Wang et al. 2025): a judgment is right when its preferred
/// response agrees in sign with `overall_preference` (ties were left out when loading); a
/// 3.5 ranking or a failed parse is wrong. Per domain, and pooled over all records.
public enum HelpSteer3Scoring {
    public static func report(_ records: [ResultRecord]) -> EvalReport {
        var report = EvalScoring.common(.helpSteer3, records)
        var right: [String: Int] = [:], items: [String: Set<String>] = [:], judged: [String: Int] = [:]
        for record in records {
            judged[record.category, default: 0] += 1
            items[record.category, default: []].insert(record.item)
            if record.prefersChosen { right[record.category, default: 0] += 1 }
        }
        for category in Benchmark.helpSteer3.categories {
            guard let total = judged[category] else { continue }
            report.metrics[category] = EvalScoring.percent(right[category] ?? 0, of: total)
            report.counts[category] = items[category]?.count ?? 0
        }
        let total = judged.values.reduce(0, +)
        report.counts["Overall"] = items.values.reduce(0) { $0 + $1.count }
        if total > 0 { report.metrics["Overall"] = EvalScoring.percent(right.values.reduce(0, +), of: total) }
        return report
    }
}
