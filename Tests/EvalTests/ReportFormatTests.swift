import Foundation
import Testing
@testable import Eval

/// The report's four formats carry the same numbers, the card's rows, counts, failures and
/// missing categories.
@Suite struct ReportFormatTests {
    static let report: EvalReport = {
        var records = [
            record(.judgeBench, item: "k1", category: "Knowledge", pair: "AB", chosen: 1, ranking: 2),
            record(.judgeBench, item: "k1", category: "Knowledge", pair: "BA", chosen: 2, ranking: 5),
            record(.judgeBench, item: "k2", category: "Knowledge", pair: "AB", chosen: 1, ranking: 5),
            record(.judgeBench, item: "k2", category: "Knowledge", pair: "BA", chosen: 2, ranking: nil, failures: 1),
            record(.judgeBench, item: "k3", category: "Knowledge", pair: "AB", chosen: 2, ranking: 6),
            record(.judgeBench, item: "k3", category: "Knowledge", pair: "BA", chosen: 1, ranking: 3.5),
            record(.judgeBench, item: "c1", category: "Code", pair: "AB", chosen: 2, ranking: 1),
            record(.judgeBench, item: "c1", category: "Code", pair: "BA", chosen: 1, ranking: 1),
        ]
        records[0].model = "scripted"
        return JudgeBenchScoring.report(records)
    }()

    @Test func jsonHasTheDocumentedShape() throws {
        let json = ReportFormat.json.render(Self.report, source: "r.jsonl")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["benchmark"] as? String == "judgebench")
        let metrics = try #require(object["metrics"] as? [String: Double])
        #expect(metrics == ["Knowledge": 66.67, "Code": 0, "Overall": 50])
        #expect(object["counts"] as? [String: Int] == ["Knowledge": 3, "Code": 1, "Overall": 4])
        #expect(object["failures"] as? Int == 1)
        #expect(object["missing"] as? [String] == ["Reasoning", "Math"])
        #expect(object["judgments"] as? Int == 8)
        // Columns in the card's order, two decimals.
        #expect(json.contains("\"Knowledge\": 66.67,\n    \"Code\": 0.0,\n    \"Overall\": 50.0"))
    }

    @Test func textLaysOutTheCardTable() {
        let text = ReportFormat.text.render(Self.report, source: "r.jsonl")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines.first { $0.hasPrefix("Model") } ?? ""
        #expect(header.contains("Knowledge  Reasoning  Math  Code  Overall"))
        #expect(lines.contains { $0.hasPrefix("this run: scripted") && $0.hasSuffix("66.67          -     -  0.00    50.00") })
        #expect(lines.contains { $0.hasPrefix("Llama-3_3-Nemotron-Super-49B-GenRM-Multilingual") && $0.hasSuffix("64.9       74.5  87.5  73.8     72.3") })
        #expect(text.contains("Items (pairs): Knowledge 3, Reasoning 0, Math 0, Code 1, Overall 4"))
        #expect(text.contains("Parse failures: 1 vote(s); 1 judgment(s) without a parsed vote"))
        #expect(text.contains("Missing (no results): Reasoning, Math"))
        // Every column of a row starts where the header's does (right-aligned numbers).
        let table = lines.dropFirst(2).prefix { !$0.isEmpty }
        #expect(table.count == 11)
        #expect(Set(table.map(\.count)).count == 1)
    }

    @Test func markdownIsAPipeTable() {
        let markdown = ReportFormat.md.render(Self.report, source: "r.jsonl")
        #expect(markdown.hasPrefix("## JudgeBench\n\n| Model | Knowledge | Reasoning | Math | Code | Overall |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"))
        #expect(markdown.contains("| this run: scripted | 66.67 | - | - | 0.00 | 50.00 |"))
        #expect(markdown.contains("- Missing (no results): Reasoning, Math"))
    }

    @Test func htmlEscapesAndHoldsTheTable() {
        var report = Self.report
        report.models = ["<judge & co>"]
        let html = ReportFormat.html.render(report, source: "r.jsonl")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<td>this run: &lt;judge &amp; co&gt;</td><td class=\"n\">66.67</td>"))
        #expect(!html.contains("<judge"))
        #expect(html.hasSuffix("</body></html>\n"))
    }

    @Test func rmBenchTextShowsTheMatrices() {
        let records = RMBenchScoringTests.records(domain: "chat", category: "Chat", prompts: 4, wins: [[4, 2, 1], [4, 3, 2], [4, 4, 3]])
        let text = ReportFormat.text.render(RMBenchScoring.report(records), source: "r.jsonl")
        #expect(text.contains("Chat  Math  Code  Safety    Easy  Normal   Hard  Overall"))
        #expect(text.contains("Style matrices (percent; rows: chosen style, columns: rejected style):"))
        #expect(text.contains("concise    100.00     50.00     25.00"))
    }
}
