/// The report as one self-contained HTML page (no scripts, no external files).
enum ReportHTML {
    static func render(_ report: EvalReport, source: String) -> String {
        let (header, rows) = ReportTable.rows(report)
        var html = [
            "<!DOCTYPE html>",
            "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escape(report.benchmark.displayName)) results</title>",
            "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}tr.run{font-weight:bold}</style>",
            "</head><body>",
            "<h1>\(escape(report.benchmark.displayName))</h1>",
            "<table>",
            "<tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>",
        ]
        for (index, row) in rows.enumerated() {
            let cells = ["<td>\(escape(row.label))</td>"] + row.cells.map { "<td class=\"n\">\(escape($0))</td>" }
            html.append((index == 0 ? "<tr class=\"run\">" : "<tr>") + cells.joined() + "</tr>")
        }
        html.append("</table>")
        html.append("<ul>" + ReportTable.summaryLines(report, source: source).map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
        let matrices = ReportTable.matrixLines(report, markdown: false)
        if !matrices.isEmpty { html.append("<pre>\(escape(matrices.joined(separator: "\n")))</pre>") }
        html.append("</body></html>")
        return html.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
