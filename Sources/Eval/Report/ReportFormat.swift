/// How `genrm eval report` prints a report.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, md, json, html

    public func render(_ report: EvalReport, source: String) -> String {
        switch self {
        case .text: ReportTable.text(report, source: source)
        case .md: ReportTable.markdown(report, source: source)
        case .json: ReportJSON.render(report)
        case .html: ReportHTML.render(report, source: source)
        }
    }
}
