/// The report as JSON: `{"benchmark", "metrics": {column: percent rounded to two decimals},
/// "counts", "failures", "missing", ...}`, columns in the model card's order.
enum ReportJSON {
    static func render(_ report: EvalReport) -> String {
        let columns = report.benchmark.columns
        let metrics = columns.compactMap { column in report.rounded(column).map { (column, OrderedJSON.number($0)) } }
        let counts = (report.benchmark.categories + ["Overall"]).compactMap { column in
            report.counts[column].map { (column, OrderedJSON.integer($0)) }
        }
        var members: [(String, OrderedJSON)] = [
            ("benchmark", .string(report.benchmark.rawValue)),
            ("metrics", .object(metrics)),
            ("counts", .object(counts)),
            ("failures", .integer(report.failures)),
            ("missing", .array(report.missing.map(OrderedJSON.string))),
            ("judgments", .integer(report.judgments)),
            ("unparsed_judgments", .integer(report.unparsedJudgments)),
            ("errors", .integer(report.errors)),
            ("models", .array(report.models.map(OrderedJSON.string))),
        ]
        if !report.matrices.isEmpty {
            let matrices = report.benchmark.categories.compactMap { domain in
                report.matrices[domain].map { matrix in
                    (domain, OrderedJSON.object([
                        ("wins", .array(matrix.wins.map { .array($0.map(OrderedJSON.integer)) })),
                        ("totals", .array(matrix.totals.map { .array($0.map(OrderedJSON.integer)) })),
                    ]))
                }
            }
            members.append(("matrices", .object(matrices)))
        }
        members.append(("notes", .array(report.notes.map(OrderedJSON.string))))
        return OrderedJSON.object(members).text
    }
}
