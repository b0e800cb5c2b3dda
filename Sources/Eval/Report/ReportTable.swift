import Foundation

/// The report laid out like the model card's tables: this run's row (two decimals) above the
/// card's published rows (as printed), then item counts, parse failures, errors, missing
/// categories and notes. Text aligns columns with spaces; Markdown uses a pipe table.
enum ReportTable {
    struct Row {
        var label: String
        var cells: [String]
    }

    static func rows(_ report: EvalReport) -> (header: [String], rows: [Row]) {
        let columns = report.benchmark.columns
        let run = Row(label: "this run: \(report.models.joined(separator: ", "))", cells: columns.map { column in
            report.rounded(column).map { String(format: "%.2f", $0) } ?? "-"
        })
        let published = PublishedResults.rows(for: report.benchmark).map { row in
            Row(label: row.model, cells: columns.map { row.values[$0].map { String(format: "%.1f", $0) } ?? "-" })
        }
        return (["Model"] + columns, [run] + published)
    }

    static func summaryLines(_ report: EvalReport, source: String) -> [String] {
        let countColumns = report.benchmark.categories + ["Overall"]
        let unit = report.benchmark == .judgeBench ? "pairs" : report.benchmark == .rmBench ? "prompts" : "records"
        var lines = [
            "Items (\(unit)): " + countColumns.map { "\($0) \(report.counts[$0] ?? 0)" }.joined(separator: ", "),
            "Judgments: \(report.judgments)",
            "Parse failures: \(report.failures) vote(s); \(report.unparsedJudgments) judgment(s) without a parsed vote",
            "Errors (judgments the backend could not make): \(report.errors)",
            "Missing (no results): " + (report.missing.isEmpty ? "none" : report.missing.joined(separator: ", ")),
        ]
        lines += report.notes.map { "Note: \($0)" }
        if !PublishedResults.rows(for: report.benchmark).isEmpty { lines.append("Published rows: \(PublishedResults.source)") }
        lines.append("Results: \(source)")
        return lines
    }

    /// RM-Bench's matrices, in percent: rows are the chosen style, columns the rejected style.
    static func matrixLines(_ report: EvalReport, markdown: Bool) -> [String] {
        guard !report.matrices.isEmpty else { return [] }
        let styles = ["concise", "detailed", "markdown"]
        var lines = ["", "Style matrices (percent; rows: chosen style, columns: rejected style):"]
        for domain in report.benchmark.categories {
            guard let matrix = report.matrices[domain] else { continue }
            lines.append("")
            let header = [domain] + styles
            let body = styles.indices.map { i in
                [styles[i]] + styles.indices.map { j in
                    let total = matrix.totals[i][j]
                    return total == 0 ? "-" : String(format: "%.2f", Double(matrix.wins[i][j]) / Double(total) * 100)
                }
            }
            lines += markdown ? pipeTable(header, body) : alignedTable(header, body)
        }
        return lines
    }

    static func text(_ report: EvalReport, source: String) -> String {
        let (header, rows) = rows(report)
        var lines = ["\(report.benchmark.displayName)", ""]
        lines += alignedTable(header, rows.map { [$0.label] + $0.cells })
        lines.append("")
        lines += summaryLines(report, source: source)
        lines += matrixLines(report, markdown: false)
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ report: EvalReport, source: String) -> String {
        let (header, rows) = rows(report)
        var lines = ["## \(report.benchmark.displayName)", ""]
        lines += pipeTable(header, rows.map { [$0.label] + $0.cells })
        lines.append("")
        lines += summaryLines(report, source: source).map { "- \($0)" }
        lines += matrixLines(report, markdown: true)
        return lines.joined(separator: "\n") + "\n"
    }

    /// First column left-aligned, the others right-aligned, two spaces between columns.
    static func alignedTable(_ header: [String], _ rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
    }

    static func pipeTable(_ header: [String], _ rows: [[String]]) -> [String] {
        let escape = { (cell: String) in cell.replacingOccurrences(of: "|", with: "\\|") }
        let line = { (row: [String]) in "| " + row.map(escape).joined(separator: " | ") + " |" }
        let rule = "|" + header.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined()
        return [line(header), rule] + rows.map(line)
    }
}
